/**
 * When each resource happened, as a UTC day number, for the index-date policy: the span of a
 * record (its first and last clinical dates) and the day a Condition began. Pure (no I/O), so
 * it works on any patient record, in Node or the browser.
 */
import type { Resource } from "fhir/r4";
import { parseFhirDay } from "../shared/fhir-dates.ts";

type Path = readonly string[];

/** The clinical date of each type, in fallback order (the first valid one decides). Types
 * without an entry (Patient, Medication, Organization, ...) do not date a record. */
const DATE_PATHS: Readonly<Record<string, readonly Path[]>> = {
  AllergyIntolerance: [["recordedDate"], ["onsetDateTime"]],
  CarePlan: [["period", "start"], ["created"]],
  Claim: [["billablePeriod", "start"], ["created"]],
  Condition: [["onsetDateTime"], ["onsetPeriod", "start"], ["recordedDate"]],
  DiagnosticReport: [["effectiveDateTime"], ["effectivePeriod", "start"], ["issued"]],
  DocumentReference: [["date"]],
  Encounter: [["period", "start"]],
  ExplanationOfBenefit: [["billablePeriod", "start"], ["created"]],
  ImagingStudy: [["started"]],
  Immunization: [["occurrenceDateTime"]],
  MedicationAdministration: [["effectiveDateTime"], ["effectivePeriod", "start"]],
  MedicationDispense: [["whenHandedOver"], ["whenPrepared"]],
  MedicationRequest: [["authoredOn"]],
  MedicationStatement: [["effectiveDateTime"], ["effectivePeriod", "start"], ["dateAsserted"]],
  Observation: [["effectiveDateTime"], ["effectivePeriod", "start"], ["effectiveInstant"], ["issued"]],
  Procedure: [["performedDateTime"], ["performedPeriod", "start"]],
};

function valueAt(resource: unknown, path: Path): unknown {
  let value = resource;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The UTC day of a resource's clinical date, or null when its type has none or it is invalid. */
export function resourceDay(resource: Resource): number | null {
  for (const path of DATE_PATHS[resource.resourceType] ?? []) {
    const value = valueAt(resource, path);
    if (value !== undefined && value !== null) return parseFhirDay(value);
  }
  return null;
}

/** The first and last clinical days of a record, or null when nothing in it is dated. */
export function recordSpan(resources: readonly Resource[]): { first: number; last: number } | null {
  let first = Infinity;
  let last = -Infinity;
  for (const resource of resources) {
    const day = resourceDay(resource);
    if (day === null) continue;
    if (day < first) first = day;
    if (day > last) last = day;
  }
  return first === Infinity ? null : { first, last };
}
