/**
 * Small builders for hand-made FHIR R4 test patients. Every builder takes only what a test is
 * about and fills the rest with valid defaults, so a test reads as the rule it checks.
 * Dates are plain FHIR strings; ids are optional (give one when a resource is referenced).
 */
import type {
  CodeableConcept,
  Coding,
  Condition,
  Encounter,
  Medication,
  MedicationDispense,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  Procedure,
} from "fhir/r4";

export const SYSTEMS = {
  snomed: "http://snomed.info/sct",
  icd10cm: "http://hl7.org/fhir/sid/icd-10-cm",
  rxnorm: "http://www.nlm.nih.gov/research/umls/rxnorm",
  loinc: "http://loinc.org",
} as const;

/** `{ [key]: value }` when the value is given, `{}` otherwise: optional fields stay absent. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

const SUBJECT = { reference: "Patient/p1" };

/** The fields every medication-use resource built here shares. */
function medicationUse(code: Coding, id: string | undefined) {
  return { ...optional("id", id), subject: SUBJECT, medicationCodeableConcept: concept(code) };
}

export const snomed = (code: string): Coding => ({ system: SYSTEMS.snomed, code });
export const icd10 = (code: string): Coding => ({ system: SYSTEMS.icd10cm, code });
export const rxnorm = (code: string): Coding => ({ system: SYSTEMS.rxnorm, code });
export const concept = (...coding: Coding[]): CodeableConcept => ({ coding });

/** Codes used across tests (docs/terminology.md). */
export const CODES = {
  kneeOaSnomed: snomed("239873007"),
  kneeOaIcd10: icd10("M17.11"),
  aclInjury: snomed("444470001"),
  diabetes: snomed("44054006"),
  hypertension: snomed("59621000"),
  naproxenSodium220: rxnorm("849574"),
  naproxen500: rxnorm("198014"),
  naproxenIngredient: rxnorm("7258"),
  ibuprofen200: rxnorm("310965"),
  diclofenac: rxnorm("3355"),
  celecoxib: rxnorm("140587"),
  acetaminophen325: rxnorm("313782"),
  oxycodoneAcetaminophen: rxnorm("1049221"),
} as const;

export function patient(options: { birthDate?: string; gender?: Patient["gender"]; id?: string } = {}): Patient {
  return {
    resourceType: "Patient",
    id: options.id ?? "p1",
    gender: options.gender ?? "female",
    birthDate: options.birthDate ?? "1960-05-20",
  };
}

export interface ConditionOptions {
  id?: string;
  onsetDateTime?: string;
  onsetPeriodStart?: string;
  recordedDate?: string;
  verification?: string;
  category?: "problem-list-item" | "encounter-diagnosis";
  encounterId?: string;
}

export function condition(code: Coding | Coding[], options: ConditionOptions = {}): Condition {
  return {
    resourceType: "Condition",
    ...optional("id", options.id),
    subject: SUBJECT,
    code: concept(...(Array.isArray(code) ? code : [code])),
    ...(options.category === undefined
      ? {}
      : { category: [concept({ system: "http://terminology.hl7.org/CodeSystem/condition-category", code: options.category })] }),
    ...(options.verification === undefined
      ? {}
      : { verificationStatus: concept({ system: "http://terminology.hl7.org/CodeSystem/condition-ver-status", code: options.verification }) }),
    ...optional("onsetDateTime", options.onsetDateTime),
    ...optional("onsetPeriod", options.onsetPeriodStart === undefined ? undefined : { start: options.onsetPeriodStart }),
    ...optional("recordedDate", options.recordedDate),
    ...optional("encounter", options.encounterId === undefined ? undefined : { reference: `Encounter/${options.encounterId}` }),
  };
}

export interface EncounterOptions {
  id?: string;
  status?: Encounter["status"];
  reasons?: Coding[];
  /** Ids of Conditions listed in Encounter.diagnosis. */
  diagnosisIds?: string[];
}

export function encounter(start: string, options: EncounterOptions = {}): Encounter {
  return {
    resourceType: "Encounter",
    ...optional("id", options.id),
    status: options.status ?? "finished",
    class: { system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "AMB" },
    subject: SUBJECT,
    period: { start },
    ...optional("reasonCode", options.reasons?.map((coding) => concept(coding))),
    ...(options.diagnosisIds === undefined
      ? {}
      : { diagnosis: options.diagnosisIds.map((id) => ({ condition: { reference: `Condition/${id}` } })) }),
  };
}

export interface RequestOptions {
  id?: string;
  status?: MedicationRequest["status"];
  supplyDays?: number;
  repeats?: number;
  /** Quantity dispensed and dose per intake with intakes per day (for quantity / daily dose). */
  quantity?: number;
  dosePerIntake?: number;
  intakesPerDay?: number;
  /** Use this Reference instead of medicationCodeableConcept. */
  medicationReference?: string;
}

export function medicationRequest(code: Coding, authoredOn: string, options: RequestOptions = {}): MedicationRequest {
  const dispenseRequest: NonNullable<MedicationRequest["dispenseRequest"]> = {
    ...(options.supplyDays === undefined
      ? {}
      : { expectedSupplyDuration: { value: options.supplyDays, unit: "days", system: "http://unitsofmeasure.org", code: "d" } }),
    ...optional("numberOfRepeatsAllowed", options.repeats),
    ...optional("quantity", options.quantity === undefined ? undefined : { value: options.quantity }),
  };
  return {
    resourceType: "MedicationRequest",
    ...optional("id", options.id),
    status: options.status ?? "active",
    intent: "order",
    subject: SUBJECT,
    ...(options.medicationReference === undefined
      ? { medicationCodeableConcept: concept(code) }
      : { medicationReference: { reference: options.medicationReference } }),
    authoredOn,
    ...(options.dosePerIntake === undefined
      ? {}
      : {
          dosageInstruction: [
            {
              timing: { repeat: { frequency: options.intakesPerDay ?? 1, period: 1, periodUnit: "d" } },
              doseAndRate: [{ doseQuantity: { value: options.dosePerIntake } }],
            },
          ],
        }),
    ...(Object.keys(dispenseRequest).length === 0 ? {} : { dispenseRequest }),
  };
}

export function medicationStatement(
  code: Coding,
  effective: { start: string; end?: string } | string,
  options: { id?: string; status?: MedicationStatement["status"]; dateAsserted?: string } = {},
): MedicationStatement {
  return {
    resourceType: "MedicationStatement",
    ...medicationUse(code, options.id),
    status: options.status ?? "completed",
    ...(typeof effective === "string" ? { effectiveDateTime: effective } : { effectivePeriod: effective }),
    ...optional("dateAsserted", options.dateAsserted),
  };
}

export function medicationDispense(
  code: Coding,
  whenHandedOver: string,
  options: { id?: string; daysSupply?: number; status?: MedicationDispense["status"] } = {},
): MedicationDispense {
  return {
    resourceType: "MedicationDispense",
    ...medicationUse(code, options.id),
    status: options.status ?? "completed",
    whenHandedOver,
    ...optional("daysSupply", options.daysSupply === undefined ? undefined : { value: options.daysSupply, unit: "days", code: "d" }),
  };
}

export function procedure(
  code: Coding,
  performed: { performedDateTime?: string; performedPeriod?: { start?: string; end?: string } } = {},
  options: { id?: string; status?: Procedure["status"] } = {},
): Procedure {
  return { resourceType: "Procedure", ...optional("id", options.id), status: options.status ?? "completed", subject: SUBJECT, code: concept(code), ...performed };
}

export function medication(id: string, code: Coding): Medication {
  return { resourceType: "Medication", id, code: concept(code) };
}

export function observation(
  loinc: string,
  value: number,
  unit: string | undefined,
  effectiveDateTime: string,
  options: { id?: string; status?: Observation["status"] } = {},
): Observation {
  return {
    resourceType: "Observation",
    ...optional("id", options.id),
    status: options.status ?? "final",
    code: concept({ system: SYSTEMS.loinc, code: loinc }),
    subject: SUBJECT,
    effectiveDateTime,
    valueQuantity: { value, ...(unit === undefined ? {} : { unit, code: unit, system: "http://unitsofmeasure.org" }) },
  };
}

export const LOINC = { bmi: "39156-5", weight: "29463-7", height: "8302-2" } as const;
