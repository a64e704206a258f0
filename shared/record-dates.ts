/**
 * When each resource happened, as a UTC day number: the population job's index-date policy
 * takes the span of a record (its first and last clinical dates) from it, and the SMART app
 * dates the records behind each reason with it. Pure (no I/O), in Node or the browser.
 *
 * Only the clinical types the feature builder reads date a record. The commands read different
 * types (features and check:external keep only the builder's, a population job may keep all),
 * and a Claim or Immunization outside every visit would otherwise move the span, and with it
 * every index date, by which command read the data.
 */
import type { Resource } from "fhir/r4";
import { parseFhirDay } from "./fhir-dates.ts";

type Path = readonly string[];

/** The clinical date of each type the feature builder reads, in fallback order (the first
 * valid one decides). Other types (Patient, Medication, Claim, Procedure, ...) do not date a record. */
const DATE_PATHS: Readonly<Record<string, readonly Path[]>> = {
  Condition: [["onsetDateTime"], ["onsetPeriod", "start"], ["recordedDate"]],
  Encounter: [["period", "start"]],
  MedicationDispense: [["whenHandedOver"], ["whenPrepared"]],
  MedicationRequest: [["authoredOn"]],
  MedicationStatement: [["effectiveDateTime"], ["effectivePeriod", "start"], ["dateAsserted"]],
  Observation: [["effectiveDateTime"], ["effectivePeriod", "start"], ["effectiveInstant"], ["issued"]],
};

/** The resource types that can date a record. */
export const DATED_RESOURCE_TYPES: ReadonlySet<string> = new Set(Object.keys(DATE_PATHS));

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
