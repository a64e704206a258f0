/**
 * Which of a record's resources the feature builder counts at an index date, so that the SMART
 * app lists behind each reason only records that made it (pure; the builder's own readers):
 * - nothing it never counts (neverCounted) and nothing that entered the record on or after the
 *   index date (recordDay);
 * - an Encounter only when its day is inside the 156-week window; a Condition when its own day
 *   is, or, without a date of its own, its Encounter's day is, or when such an Encounter lists it
 *   (diagnosis, reasonReference): the days the builder counts it on (diagnosis-evidence.ts). A
 *   Condition whose date is invalid, or missing with no such Encounter, the builder skips (counted
 *   under data quality), so it is never listed as evidence;
 * - a medication only when the span it covers reaches into the window (medicationCoverage);
 * - a body measure only when it is one the latest BMI was taken from (the stated BMI, or the
 *   weight and the height: latestBmi), not every weight ever recorded;
 * - anything else (the Patient) as it is.
 */
import type { Resource } from "fhir/r4";
import { latestBmi } from "./features/body-mass.ts";
import { asArray, asObject, asString, type JsonObject } from "./features/fhir-read.ts";
import { historyWindow, inWindow, type HistoryWindow } from "./features/history-window.ts";
import { medicationCoverage } from "./features/medication-coverage.ts";
import { QualityLog } from "./features/quality.ts";
import { RecordHistory } from "./features/record-history.ts";
import { indexRecord, type RecordIndex } from "./features/record-index.ts";
import { conditionDate } from "./features/resource-dates.ts";
import { referenceTarget } from "./fhir-references.ts";
import { neverCounted, recordDay, resourceDay } from "./record-dates.ts";

const MEDICATION_USE_TYPES = new Set(["MedicationRequest", "MedicationStatement", "MedicationDispense"]);

/** The id of the resource of `type` a reference names on the server (not a contained one). */
export const referencedId = (reference: unknown, type: string): string | undefined => {
  const target = referenceTarget(reference, type);
  return target !== undefined && "id" in target ? target.id : undefined;
};

/** The Encounters the builder counts inside the window, their ids, and the ids of the Conditions they list. */
function visitsInWindow(encounters: readonly JsonObject[], window: HistoryWindow, inRecord: (resource: Resource) => boolean) {
  const visits = new Set<unknown>();
  const visitIds = new Set<string>();
  const listedConditionIds = new Set<string>();
  for (const encounter of encounters) {
    const day = resourceDay(encounter as unknown as Resource);
    if (day === null || !inWindow(window, day) || !inRecord(encounter as unknown as Resource)) continue;
    visits.add(encounter);
    const id = asString(encounter.id);
    if (id !== undefined) visitIds.add(id);
    const listed = [...asArray(encounter.diagnosis).map((entry) => asObject(entry)?.condition), ...asArray(encounter.reasonReference)];
    for (const reference of listed) {
      const conditionId = referencedId(reference, "Condition");
      if (conditionId !== undefined) listedConditionIds.add(conditionId);
    }
  }
  return { visits, visitIds, listedConditionIds };
}

/** The day of each visit the builder dates (its status counts, its date is valid), by id: the
 * day a Condition without dates of its own is counted on (visitDatedDay). */
export function visitDays(encounters: readonly JsonObject[]): Map<string, number> {
  const days = new Map<string, number>();
  for (const encounter of encounters) {
    const id = asString(encounter.id);
    const day = resourceDay(encounter as unknown as Resource);
    if (id !== undefined && day !== null) days.set(id, day);
  }
  return days;
}

/**
 * The day the builder counts a resource on: its own clinical day (resourceDay), or for a
 * Condition with no date of its own (not an invalid one), the day of the Encounter it points to
 * (conditionEncounterDate in shared/features/diagnosis-evidence.ts); null when it has neither.
 * `visits`: visitDays of the record's Encounters.
 */
export function visitDatedDay(resource: Resource, visits: ReadonlyMap<string, number>): number | null {
  const own = resourceDay(resource);
  if (own !== null || resource.resourceType !== "Condition" || neverCounted(resource)) return own;
  const json = resource as unknown as JsonObject;
  const date = conditionDate(json);
  if (date !== undefined && date !== null) return null;
  const visitId = referencedId(json.encounter, "Encounter");
  return visitId === undefined ? null : (visits.get(visitId) ?? null);
}

/** A test of whether a resource had entered the record before `indexDay`, of those the builder
 * ever counts (the trend's events look back over every such record). */
export function enteredBefore(indexDay: number): (resource: Resource) => boolean {
  return (resource) => {
    if (neverCounted(resource)) return false;
    const entered = recordDay(resource);
    return entered === null || entered < indexDay;
  };
}

/** A test of whether the builder counts a resource of `resources` as evidence at `indexDay`
 * (its record history counts more: every dated Observation, for one). `index`: the record's
 * indexRecord, when the caller has it. */
export function countedAsEvidence(resources: readonly Resource[], indexDay: number, index?: RecordIndex): (resource: Resource) => boolean {
  // Scratch logs: this only asks what the builder counts; its counts are the builder's to report.
  const quality = new QualityLog();
  const record = index ?? indexRecord(resources, quality);
  const bmi = latestBmi(record.observations, indexDay, { history: new RecordHistory(indexDay), quality });
  const bmiSources = new Set<unknown>(bmi?.sources ?? []);
  const window = historyWindow(indexDay);
  const inRecord = enteredBefore(indexDay);
  const visits = visitsInWindow(record.encounters, window, inRecord);
  return (resource) => {
    if (!inRecord(resource)) return false;
    const type = resource.resourceType;
    if (type === "Observation") return bmiSources.has(resource);
    if (MEDICATION_USE_TYPES.has(type)) {
      const coverage = medicationCoverage(resource as unknown as JsonObject, type, indexDay, quality);
      return coverage !== null && coverage.end >= window.firstDay;
    }
    if (type === "Encounter") return visits.visits.has(resource);
    if (type === "Condition") {
      if (resource.id !== undefined && visits.listedConditionIds.has(resource.id)) return true;
      const json = resource as unknown as JsonObject;
      const own = conditionDate(json);
      if (own === undefined || own === null) {
        const visitId = referencedId(json.encounter, "Encounter");
        return visitId !== undefined && visits.visitIds.has(visitId);
      }
      const day = resourceDay(resource);
      return day !== null && inWindow(window, day);
    }
    return true;
  };
}
