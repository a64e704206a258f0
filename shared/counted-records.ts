/**
 * Which of a record's resources the feature builder counts at an index date, so that the SMART
 * app lists behind each reason only records that made it (pure; the builder's own readers):
 * - nothing it never counts (neverCounted) and nothing that entered the record on or after the
 *   index date (recordDay);
 * - a diagnosis (Condition, Encounter) only when its day is inside the 156-week window; an
 *   undated one is kept, as its day may come from its Encounter;
 * - a medication only when the span it covers reaches into the window (medicationCoverage);
 * - a body measure only when it is one the latest BMI was taken from (the stated BMI, or the
 *   weight and the height: latestBmi), not every weight ever recorded;
 * - anything else (the Patient) as it is.
 */
import type { Resource } from "fhir/r4";
import { latestBmi } from "./features/body-mass.ts";
import type { JsonObject } from "./features/fhir-read.ts";
import { historyWindow, inWindow } from "./features/history-window.ts";
import { medicationCoverage } from "./features/medication-coverage.ts";
import { QualityLog } from "./features/quality.ts";
import { RecordHistory } from "./features/record-history.ts";
import { indexRecord, type RecordIndex } from "./features/record-index.ts";
import { neverCounted, recordDay, resourceDay } from "./record-dates.ts";

const MEDICATION_USE_TYPES = new Set(["MedicationRequest", "MedicationStatement", "MedicationDispense"]);
const DIAGNOSIS_TYPES = new Set(["Condition", "Encounter"]);

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
  const bmi = latestBmi((index ?? indexRecord(resources, quality)).observations, indexDay, { history: new RecordHistory(indexDay), quality });
  const bmiSources = new Set<unknown>(bmi?.sources ?? []);
  const window = historyWindow(indexDay);
  const inRecord = enteredBefore(indexDay);
  return (resource) => {
    if (!inRecord(resource)) return false;
    const type = resource.resourceType;
    if (type === "Observation") return bmiSources.has(resource);
    if (MEDICATION_USE_TYPES.has(type)) {
      const coverage = medicationCoverage(resource as unknown as JsonObject, type, indexDay, quality);
      return coverage !== null && coverage.end >= window.firstDay;
    }
    if (DIAGNOSIS_TYPES.has(type)) {
      const day = resourceDay(resource);
      return day === null || inWindow(window, day);
    }
    return true;
  };
}
