/**
 * Hook request bodies and the prefetch shapes an EHR may send: a patient with three years of
 * history built with the shared test builders, searchset Bundles (optionally paged), and
 * OperationOutcomes.
 */
import type { Bundle, OperationOutcome, Resource } from "fhir/r4";
import { CODES, condition, encounter, icd10, medicationRequest, observation, patient } from "../../support/fhir-builders.ts";

export const PATIENT_ID = "p1";
export const INDEX_DATE = "2024-06-01";

/** A 64-year-old woman with knee pain, obesity and NSAIDs over the last three years. */
export function patientRecord(): {
  patient: Resource;
  conditions: Resource[];
  encounters: Resource[];
  medicationRequests: Resource[];
  bodyMeasures: Resource[];
} {
  return {
    patient: patient({ birthDate: "1960-03-14", gender: "female" }),
    conditions: [
      condition(icd10("M25.561"), { id: "c1", onsetDateTime: "2021-09-10", recordedDate: "2021-09-10" }),
      condition(icd10("M25.562"), { id: "c2", onsetDateTime: "2023-02-01", recordedDate: "2023-02-01" }),
      condition(icd10("E66.9"), { id: "c3", onsetDateTime: "2021-07-01", recordedDate: "2021-07-01" }),
      condition(CODES.hypertension, { id: "c4", onsetDateTime: "2022-04-20", recordedDate: "2022-04-20" }),
    ],
    encounters: [
      encounter("2021-09-10", { id: "e1", reasons: [icd10("M25.561")] }),
      encounter("2022-04-20", { id: "e2", diagnosisIds: ["c4"] }),
      encounter("2023-02-01", { id: "e3", reasons: [icd10("M25.562")] }),
    ],
    medicationRequests: [
      medicationRequest(CODES.naproxen500, "2022-01-05", { id: "m1", supplyDays: 30, repeats: 2 }),
      medicationRequest(CODES.ibuprofen200, "2023-08-12", { id: "m2", supplyDays: 30 }),
    ],
    bodyMeasures: [observation("39156-5", 33.1, "kg/m2", "2023-05-02", { id: "o1" })],
  };
}

export function searchset(resources: readonly Resource[], next?: string): Bundle {
  return {
    resourceType: "Bundle",
    type: "searchset",
    total: resources.length,
    ...(next ? { link: [{ relation: "next", url: next }] } : {}),
    entry: resources.map((resource) => ({ resource, search: { mode: "match" } })),
  } as Bundle;
}

export const OUTCOME: OperationOutcome = {
  resourceType: "OperationOutcome",
  issue: [{ severity: "error", code: "exception", diagnostics: "prefetch failed in the EHR" }],
};

/** Prefetch with every key present, as a well-behaved EHR sends it. */
export function fullPrefetch(): Record<string, unknown> {
  const r = patientRecord();
  return {
    patient: r.patient,
    conditions: searchset(r.conditions),
    encounters: searchset(r.encounters),
    medicationRequests: searchset(r.medicationRequests),
    medicationStatements: searchset([]),
    medicationDispenses: searchset([]),
    bodyMeasures: searchset(r.bodyMeasures),
  };
}

/**
 * Prefetch of a record that starts 2023-09-01, 274 days = 0.750 years before INDEX_DATE (the card
 * says "Only 0.8 of the 3 years of history"), with these body measures: for tests that show an
 * older resource does not lengthen the history the model sees.
 */
export function shortHistoryPrefetch(bodyMeasures: readonly Resource[] = [observation("39156-5", 33.1, "kg/m2", "2023-09-01", { id: "o1" })]): Record<string, unknown> {
  return {
    patient: patient({ birthDate: "1960-03-14", gender: "female" }),
    conditions: searchset([
      condition(icd10("M25.562"), { id: "c1", onsetDateTime: "2023-09-01", recordedDate: "2023-09-01" }),
      condition(icd10("E66.9"), { id: "c2", onsetDateTime: "2023-09-01", recordedDate: "2023-09-01" }),
    ]),
    encounters: searchset([encounter("2023-09-01", { id: "e1", reasons: [icd10("M25.562")] })]),
    medicationRequests: searchset([]),
    medicationStatements: searchset([]),
    medicationDispenses: searchset([]),
    bodyMeasures: searchset(bodyMeasures),
  };
}

export interface HookBodyOptions {
  prefetch?: Record<string, unknown> | undefined;
  fhirServer?: string;
  accessToken?: string;
  hookInstance?: string;
}

export function hookBody(options: HookBodyOptions = {}): Record<string, unknown> {
  return {
    hook: "patient-view",
    hookInstance: options.hookInstance ?? crypto.randomUUID(),
    ...(options.fhirServer
      ? {
          fhirServer: options.fhirServer,
          fhirAuthorization: {
            access_token: options.accessToken ?? "ehr-access-token",
            token_type: "Bearer",
            expires_in: 300,
            scope: "patient/Patient.rs patient/Condition.rs patient/MedicationRequest.rs patient/MedicationStatement.rs patient/Observation.rs",
            subject: "cds-service",
          },
        }
      : {}),
    context: { userId: "Practitioner/pr1", patientId: PATIENT_ID },
    ...("prefetch" in options ? (options.prefetch === undefined ? {} : { prefetch: options.prefetch }) : { prefetch: fullPrefetch() }),
  };
}
