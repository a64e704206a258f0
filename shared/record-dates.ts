/**
 * When each resource happened, as a UTC day number: the SMART app dates the records behind each
 * reason with it (resourceDay: the day the builder counts it as evidence), and the population
 * job's index-date policy takes the span of a record from it (recordDay: the day it entered the
 * record, which the builder's record history counts). Pure (no I/O), in Node or the browser.
 *
 * Only the clinical types the feature builder reads date a record. The commands read different
 * types (features and check:external keep only the builder's, a population job may keep all),
 * and a Claim or Immunization outside every visit would otherwise move the span, and with it
 * every index date, by which command read the data.
 *
 * A resource is dated by the builder's own readers (shared/features/resource-dates.ts), so it
 * falls on the day the builder counts it, and a resource the builder ignores for its status
 * whatever the index date (shared/features/resource-status.ts: an entered-in-error or cancelled
 * Encounter, a refuted Condition, a cancelled or doNotPerform MedicationRequest, ...) is not
 * dated at all, so it cannot move the span; nor is a Condition the builder can never use for its
 * content (no code, an invalid recordedDate: conditionConcept in
 * shared/features/diagnosis-evidence.ts). What stays the builder's alone: rules that need an
 * index date (recorded or asserted on or after it, a partial date whose period reaches it), and
 * a Condition without dates taking its Encounter's day (that Encounter dates the record itself).
 * (A medication without a code still counts towards the builder's record history, so it dates
 * the record here too. So would an Observation of no known measure, but the callers set those
 * aside before either sees them: shared/model-input.ts.)
 */
import type { Resource } from "fhir/r4";
import { parseFhirDay } from "./fhir-dates.ts";
import type { JsonObject } from "./features/fhir-read.ts";
import { conditionConcept } from "./features/diagnosis-evidence.ts";
import { RECORDED_DATE_READERS, RESOURCE_DATE_READERS } from "./features/resource-dates.ts";
import { ignoredByStatus } from "./features/resource-status.ts";

type DateReader = (resource: JsonObject) => unknown;

/** A type's reader in a table; own keys only, so a resourceType such as "constructor" has none. */
function readerOf(table: Readonly<Record<string, DateReader>>, type: string): DateReader | undefined {
  return Object.hasOwn(table, type) ? table[type] : undefined;
}

/** Whether the feature builder ignores a resource at every index date: for its status, or (a
 * Condition) for its content. */
export function neverCounted(resource: Resource): boolean {
  const json = resource as unknown as JsonObject;
  if (ignoredByStatus(json)) return true;
  return resource.resourceType === "Condition" && typeof conditionConcept(json) === "string";
}

/** The UTC day of a resource's clinical date, whatever its status (null: its type has none, or
 * its date is missing or invalid). */
function clinicalDay(resource: Resource): number | null {
  const read = readerOf(RESOURCE_DATE_READERS, resource.resourceType);
  return read === undefined ? null : parseFhirDay(read(resource as unknown as JsonObject));
}

/** The UTC day of a resource's clinical date (a partial date: its first day), or null when its
 * type has none, its date is missing or invalid, or the feature builder never counts it
 * (neverCounted). */
export function resourceDay(resource: Resource): number | null {
  const day = clinicalDay(resource);
  return day === null || neverCounted(resource) ? null : day;
}

/**
 * The day from which the feature builder's record history counts a resource: its clinical day
 * (resourceDay), or, for a type that records when it was written into the record (a Condition's
 * recordedDate, a MedicationStatement's dateAsserted: RECORDED_DATE_READERS), the later of the
 * two, as the builder counts it only once it is both begun and known. An old onset written down
 * years later does not lengthen the history, so it must not move the first index date back to
 * where the builder sees no history yet. A late recorded date also ends the span later: the
 * record was in use that day.
 */
export function recordDay(resource: Resource): number | null {
  const day = enteredDay(resource);
  return day === null || neverCounted(resource) ? null : day;
}

/** recordDay whatever the resource's status (neverCounted, the costly part, is left to the caller). */
function enteredDay(resource: Resource): number | null {
  const day = clinicalDay(resource);
  const readRecorded = readerOf(RECORDED_DATE_READERS, resource.resourceType);
  if (day === null || readRecorded === undefined) return day;
  return Math.max(day, parseFhirDay(readRecorded(resource as unknown as JsonObject)) ?? day);
}

/** The first and last days a record's resources entered it (recordDay), or null when nothing in
 * it is dated. */
export function recordSpan(resources: readonly Resource[]): { first: number; last: number } | null {
  const { first, last } = dayBounds(resources, Infinity);
  // Both are null, or neither.
  return first === null ? null : { first, last: last! };
}

/** The last day a record's resources entered it, and the last before `beforeDay`, each null when
 * there is none (the population summary's "nothing in the year before the index date"). */
export function recordLastDays(resources: readonly Resource[], beforeDay: number): { last: number | null; lastBefore: number | null } {
  return dayBounds(resources, beforeDay);
}

/** One pass for both: the first and last record days, and the last before `beforeDay`. Whether the
 * builder ever counts a resource (neverCounted: a Condition's concept is matched against the value
 * sets) is asked only of one that would move a bound: a few per record, not every resource. */
function dayBounds(resources: readonly Resource[], beforeDay: number): { first: number | null; last: number | null; lastBefore: number | null } {
  let first = Infinity;
  let last = -Infinity;
  let lastBefore = -Infinity;
  for (const resource of resources) {
    const day = enteredDay(resource);
    if (day === null) continue;
    const movesBound = day < first || day > last || (day < beforeDay && day > lastBefore);
    if (!movesBound || neverCounted(resource)) continue;
    if (day < first) first = day;
    if (day > last) last = day;
    if (day < beforeDay && day > lastBefore) lastBefore = day;
  }
  const finite = (day: number) => (Number.isFinite(day) ? day : null);
  return { first: finite(first), last: finite(last), lastBefore: finite(lastBefore) };
}

/**
 * A record's date as the record writes it, for a clinician: a dateTime's own calendar day (its
 * first 10 characters, in the time zone it was written in), a year or a month as given. The rules
 * count UTC days instead (parseFhirDay), so an event at 21:36-04:00 is counted on the next day;
 * the SMART app shows this date and names the counted day beside it where the two differ. `value`:
 * a valid FHIR date, dateTime or instant (the caller checks it with parseFhirDay).
 */
export function writtenDate(value: string): string {
  return value.slice(0, 10);
}
