/**
 * The one rule for "the record says nothing of the year before the index date", and the sentence
 * the CDS card and the SMART app put beside the risk. The model reads the three years before the
 * index date and takes a week without entries as a week without diagnoses or medicines: for a
 * record that stopped being written to years ago (a patient who moved away, an old extract loaded
 * into the EHR), the risk is still computed, for a year that follows one the record knows nothing
 * of, and nothing on the number says so. The population job counts and flags the same patients.
 *
 * A record's days are those it was written to (recordDay, shared/record-dates.ts): the clinical
 * day, or the later day it was recorded. Only the model's input dates it, as in the population
 * job's summary.
 */
import type { Resource } from "fhir/r4";
import { dayToIsoDate, parseFhirDay } from "./fhir-dates.ts";
import { recordLastDays } from "./record-dates.ts";

/** A record whose latest entry is more than this many days before the index date is not current:
 * the year the risk is for starts after a year in which the record says nothing. */
export const CURRENT_RECORD_DAYS = 365;

export interface NotCurrent {
  /** YYYY-MM-DD of the latest entry before the index date, or null when nothing before it is
   * dated. */
  latestBefore: string | null;
}

/** Whether a record whose latest entry before the index day is `latestBeforeDay` (a UTC day
 * number, null when there is none) is current on `indexDay`. */
export function isCurrentRecord(latestBeforeDay: number | null, indexDay: number): boolean {
  return latestBeforeDay !== null && indexDay - latestBeforeDay <= CURRENT_RECORD_DAYS;
}

/** The record's latest entry before `indexDate` when the record is not current then; null when it
 * is (or the index date is not a date). */
export function recordNotCurrent(resources: readonly Resource[], indexDate: string): NotCurrent | null {
  const indexDay = parseFhirDay(indexDate);
  if (indexDay === null) return null;
  const { lastBefore } = recordLastDays(resources, indexDay);
  if (isCurrentRecord(lastBefore, indexDay)) return null;
  return { latestBefore: lastBefore === null ? null : dayToIsoDate(lastBefore) };
}

export function notCurrentCaveat(found: NotCurrent, indexDate: string): string {
  const latest = found.latestBefore === null ? "nothing before it is dated" : `the latest entry is from ${found.latestBefore}`;
  return (
    `Nothing is on record in the ${CURRENT_RECORD_DAYS} days before ${indexDate} (${latest}): the model reads those days as ` +
    "free of diagnoses and medicines, so if the patient has been cared for elsewhere since, this estimate does not know it."
  );
}
