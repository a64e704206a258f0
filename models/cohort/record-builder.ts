/**
 * Builds one patient's FHIR R4 resources, the way a site's EHR would write them: one coding
 * style per patient (SNOMED CT, ICD-10-CM or both), prescriptions either as MedicationRequest
 * or as MedicationStatement, visit times in the site's time zone.
 *
 * Visit times are 08:00-15:59 local with offsets between -08:00 and +01:00, so the UTC calendar
 * day of every timestamp is its local day (the truth file's dates are those days).
 */
import type {
  CodeableConcept,
  Coding,
  Condition,
  Encounter,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  Reference,
} from "fhir/r4";
import { dayToIsoDate } from "../../shared/fhir-dates.ts";
import { DIAGNOSES, LOINC, MEDICATIONS, SYSTEMS, type DiagnosisCode, type DiagnosisKey, type MedicationCode, type MedicationKey } from "./codes.ts";
import { nextUuid } from "./ids.ts";
import { CODING_STYLE_SHARES, MEDICATION_REQUEST_SHARE, NOISE } from "./parameters.ts";
import type { Random } from "./random.ts";

export type CodingStyle = keyof typeof CODING_STYLE_SHARES;
type MedicationCoding = "scd" | "scdIngredient" | "scdIngredientAtc";

const OFFSETS = ["-08:00", "-07:00", "-06:00", "-05:00", "-04:00", "Z", "+01:00"] as const;

// Resources share these constant parts (and the cached concepts below): building ~60
// resources per patient at 1,000 patients/s makes allocation the bottleneck. Consumers that
// mutate resources must clone them first.
const ACTIVE: CodeableConcept = { coding: [{ system: SYSTEMS.conditionClinical, code: "active" }] };
const RESOLVED: CodeableConcept = { coding: [{ system: SYSTEMS.conditionClinical, code: "resolved" }] };
const CONFIRMED: CodeableConcept = { coding: [{ system: SYSTEMS.conditionVerification, code: "confirmed" }] };
const ENCOUNTER_DIAGNOSIS: CodeableConcept[] = [{ coding: [{ system: SYSTEMS.conditionCategory, code: "encounter-diagnosis", display: "Encounter Diagnosis" }] }];
const PROBLEM_LIST_ITEM: CodeableConcept[] = [{ coding: [{ system: SYSTEMS.conditionCategory, code: "problem-list-item", display: "Problem List Item" }] }];
const AMBULATORY: Coding = { system: SYSTEMS.actCode, code: "AMB", display: "ambulatory" };
const conceptCache = new Map<string, CodeableConcept>();
const listCache = new Map<string, CodeableConcept[]>();

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) cache.set(key, (value = make()));
  return value;
}

/** ISO dates of recent day numbers (a record spans a few thousand days). */
const isoCache = new Map<number, string>();
function isoDay(day: number): string {
  let iso = isoCache.get(day);
  if (iso === undefined) {
    if (isoCache.size > 100_000) isoCache.clear();
    isoCache.set(day, (iso = dayToIsoDate(day)));
  }
  return iso;
}
const MEDICATION_CODING_SHARES: Record<MedicationCoding, number> = { scd: 0.2, scdIngredient: 0.5, scdIngredientAtc: 0.3 };
const LOCAL_CODE_EXTRA = NOISE.localCodeExtra;
const SUPPLY_UNIT = { unit: "days", system: SYSTEMS.ucum, code: "d" } as const;

/** One patient's resources, by type, in the order they were made. */
export interface PatientRecord {
  Patient: Patient[];
  Encounter: Encounter[];
  Condition: Condition[];
  MedicationRequest: MedicationRequest[];
  MedicationStatement: MedicationStatement[];
  Observation: Observation[];
}

export const RECORD_TYPES = ["Patient", "Encounter", "Condition", "MedicationRequest", "MedicationStatement", "Observation"] as const;

export interface Visit {
  day: number;
  reference: Reference;
}

/** A prescription: `supplyDays` per fill, `refills` repeats, from `day`. */
export interface Prescription {
  day: number;
  medication: MedicationKey;
  supplyDays: number;
  refills: number;
  visit?: Visit;
}

export class RecordBuilder {
  readonly record: PatientRecord = {
    Patient: [],
    Encounter: [],
    Condition: [],
    MedicationRequest: [],
    MedicationStatement: [],
    Observation: [],
  };
  readonly subject: Reference;
  readonly codingStyle: CodingStyle;
  readonly usesMedicationRequest: boolean;
  private readonly medicationCoding: MedicationCoding;
  private readonly offset: string;

  constructor(
    private readonly rng: Random,
    private readonly ids: Random,
    readonly patientId: string,
    private readonly endDay: number,
  ) {
    this.subject = { reference: `Patient/${patientId}` };
    this.codingStyle = rng.weighted(CODING_STYLE_SHARES);
    this.usesMedicationRequest = rng.chance(MEDICATION_REQUEST_SHARE);
    this.medicationCoding = rng.weighted(MEDICATION_CODING_SHARES);
    this.offset = rng.pick(OFFSETS);
  }

  private stamp(day: number, hour: number, minute: number): string {
    return `${isoDay(day)}T${hour < 10 ? "0" : ""}${hour}:${minute < 10 ? "0" : ""}${minute}:00${this.offset}`;
  }

  /** A random clinic time on a day. */
  private dateTime(day: number): string {
    return this.stamp(day, this.rng.int(8, 15), this.rng.int(0, 59));
  }

  diagnosisConcept(key: DiagnosisKey): CodeableConcept {
    const d: DiagnosisCode = DIAGNOSES[key];
    const variant = this.rng.int(0, d.icd10.length - 1);
    const concept = cached(conceptCache, `${this.codingStyle}|${key}|${variant}`, () => {
      const coding: Coding[] = [];
      if (this.codingStyle !== "icd10") coding.push({ system: SYSTEMS.snomed, code: d.snomed[0], display: d.snomed[1] });
      const icd = d.icd10[variant] as DiagnosisCode["icd10"][number];
      if (this.codingStyle !== "snomed") coding.push({ system: SYSTEMS.icd10cm, code: icd[0], display: icd[1] });
      return { coding, text: d.snomed[1] };
    });
    if (!this.rng.chance(LOCAL_CODE_EXTRA)) return concept;
    const local: Coding = { system: SYSTEMS.localDiagnosis, code: `P${this.rng.int(1000, 9999)}`, display: d.snomed[1] };
    return { coding: [...(concept.coding as Coding[]), local], text: d.snomed[1] };
  }

  medicationConcept(key: MedicationKey): CodeableConcept {
    return cached(conceptCache, `${this.medicationCoding}|${key}`, () => {
      const m: MedicationCode = MEDICATIONS[key];
      const coding: Coding[] = [];
      if (m.scd !== undefined) coding.push({ system: SYSTEMS.rxnorm, code: m.scd, display: m.display });
      const withIngredient = m.scd === undefined || this.medicationCoding !== "scd";
      if (m.ingredient !== undefined && withIngredient) coding.push({ system: SYSTEMS.rxnorm, code: m.ingredient });
      const withAtc = coding.length === 0 || this.medicationCoding === "scdIngredientAtc";
      if (m.atc !== undefined && withAtc) coding.push({ system: SYSTEMS.atc, code: m.atc });
      return { coding, text: m.display };
    });
  }

  patient(resource: Patient): void {
    this.record.Patient.push(resource);
  }

  /** An ambulatory visit; `reasons` are diagnosis keys, or a ready concept (local codes). */
  visit(day: number, type: readonly [string, string], reasons: readonly (DiagnosisKey | CodeableConcept)[]): Visit {
    const id = nextUuid(this.ids);
    const hour = this.rng.int(8, 15);
    const minute = this.rng.int(0, 39);
    const encounter: Encounter = {
      resourceType: "Encounter",
      id,
      status: "finished",
      class: AMBULATORY,
      type: cached(listCache, type[0], () => [{ coding: [{ system: SYSTEMS.snomed, code: type[0], display: type[1] }], text: type[1] }]),
      subject: this.subject,
      period: { start: this.stamp(day, hour, minute), end: this.stamp(day, hour, minute + 20) },
    };
    if (reasons.length > 0) encounter.reasonCode = reasons.map((r) => (typeof r === "string" ? this.diagnosisConcept(r as DiagnosisKey) : r));
    this.record.Encounter.push(encounter);
    return { day, reference: { reference: `Encounter/${id}` } };
  }

  /** A diagnosis recorded at a visit (category encounter-diagnosis). */
  encounterDiagnosis(visit: Visit, key: DiagnosisKey): void {
    const when = this.dateTime(visit.day);
    this.record.Condition.push({
      resourceType: "Condition",
      id: nextUuid(this.ids),
      clinicalStatus: ACTIVE,
      verificationStatus: CONFIRMED,
      category: ENCOUNTER_DIAGNOSIS,
      code: this.diagnosisConcept(key),
      subject: this.subject,
      encounter: visit.reference,
      onsetDateTime: when,
      recordedDate: when,
    });
  }

  /**
   * A problem-list entry. `onsetDay` before `recordStartDay` may be written as a partial date
   * (year or year-month: noise); the recorded date is the day it entered this record.
   */
  problem(key: DiagnosisKey, onsetDay: number, recordedDay: number, recordStartDay: number, abatementDay?: number): void {
    let onset = isoDay(onsetDay);
    if (onsetDay < recordStartDay && this.rng.chance(NOISE.partialOnsetDate)) onset = onset.slice(0, this.rng.chance(0.5) ? 4 : 7);
    const condition: Condition = {
      resourceType: "Condition",
      id: nextUuid(this.ids),
      clinicalStatus: abatementDay === undefined ? ACTIVE : RESOLVED,
      verificationStatus: CONFIRMED,
      category: PROBLEM_LIST_ITEM,
      code: this.diagnosisConcept(key),
      subject: this.subject,
      onsetDateTime: onset,
      recordedDate: this.dateTime(recordedDay),
    };
    if (abatementDay !== undefined) condition.abatementDateTime = isoDay(abatementDay);
    this.record.Condition.push(condition);
  }

  /** A prescription as this patient's site writes it: a MedicationRequest or a MedicationStatement. */
  prescribe(p: Prescription): void {
    const concept = this.medicationConcept(p.medication);
    const singleDose = (MEDICATIONS[p.medication] as MedicationCode).singleDose === true;
    const lastDay = p.day + (singleDose ? 1 : p.supplyDays * (p.refills + 1)) - 1;
    const status = lastDay >= this.endDay ? "active" : "completed";
    if (this.usesMedicationRequest) {
      const request: MedicationRequest = {
        resourceType: "MedicationRequest",
        id: nextUuid(this.ids),
        status,
        intent: "order",
        medicationCodeableConcept: concept,
        subject: this.subject,
        authoredOn: this.dateTime(p.day),
        dosageInstruction: [{ text: singleDose ? "Single intra-articular injection" : "Take as directed" }],
        dispenseRequest: {
          numberOfRepeatsAllowed: singleDose ? 0 : p.refills,
          expectedSupplyDuration: { value: singleDose ? 1 : p.supplyDays, ...SUPPLY_UNIT },
        },
      };
      if (p.visit) request.encounter = p.visit.reference;
      this.record.MedicationRequest.push(request);
      return;
    }
    const statement: MedicationStatement = {
      resourceType: "MedicationStatement",
      id: nextUuid(this.ids),
      status,
      medicationCodeableConcept: concept,
      subject: this.subject,
      dateAsserted: this.dateTime(p.day),
    };
    if (singleDose) statement.effectiveDateTime = isoDay(p.day);
    else statement.effectivePeriod = { start: isoDay(p.day), end: isoDay(lastDay) };
    if (p.visit) statement.context = p.visit.reference;
    this.record.MedicationStatement.push(statement);
  }

  /** A vital-sign or survey observation with a quantity or a coded value. */
  observation(visit: Visit, loinc: keyof typeof LOINC, value: Observation["valueQuantity"] | CodeableConcept): void {
    const [code, display] = LOINC[loinc];
    const category = loinc === "pain" || loinc === "smoking" ? "survey" : "vital-signs";
    const observation: Observation = {
      resourceType: "Observation",
      id: nextUuid(this.ids),
      status: "final",
      category: cached(listCache, category, () => [{ coding: [{ system: SYSTEMS.observationCategory, code: category }] }]),
      code: cached(conceptCache, code, () => ({ coding: [{ system: SYSTEMS.loinc, code, display }], text: display })),
      subject: this.subject,
      encounter: visit.reference,
      effectiveDateTime: this.dateTime(visit.day),
    };
    if (value !== undefined && "coding" in value) observation.valueCodeableConcept = value;
    else observation.valueQuantity = value;
    this.record.Observation.push(observation);
  }
}
