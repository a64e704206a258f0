/**
 * The one rule for "nothing the model reads was entered in the year before the index date", and
 * the sentence the CDS card and the SMART app put beside the risk. The model reads the three years
 * before the index date: for a record that stopped being written to years ago (a patient who moved
 * away, an old extract loaded into the EHR), the risk is still computed, for a year that follows
 * one in which nothing reached the model, and nothing on the number says so. (An older medicine
 * can still cover some of that year: the model spreads a course over the days it supplies.) The
 * population job counts and flags the same patients.
 *
 * A record's days are those it was written to (recordDay, shared/record-dates.ts): the clinical
 * day, or the later day it was recorded. Only the model's input dates it, as in the population
 * job's summary: a Procedure or an imaging AI result is on record too, but the model does not
 * read it, so the sentence names what the model reads.
 */
import type { Resource } from "fhir/r4";
import { dayToIsoDate, parseCalendarDay } from "./fhir-dates.ts";
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

/** The UTC day of the index date (the features' rule: a calendar day) and of the record's latest
 * entry before it; null when the index date is not a calendar day. */
function latestDayBefore(resources: readonly Resource[], indexDate: string): { indexDay: number; lastBefore: number | null } | null {
  const indexDay = parseCalendarDay(indexDate);
  return indexDay === null ? null : { indexDay, lastBefore: recordLastDays(resources, indexDay).lastBefore };
}

/** The record's latest entry before `indexDate` when the record is not current then; null when it
 * is (or the index date is not a date). */
export function recordNotCurrent(resources: readonly Resource[], indexDate: string): NotCurrent | null {
  const days = latestDayBefore(resources, indexDate);
  if (days === null || isCurrentRecord(days.lastBefore, days.indexDay)) return null;
  return { latestBefore: days.lastBefore === null ? null : dayToIsoDate(days.lastBefore) };
}

/** The record's latest entry before `indexDate` (YYYY-MM-DD), current or not: the SMART app's data
 * quality names it; null when nothing before it is dated. */
export function latestEntryBefore(resources: readonly Resource[], indexDate: string): string | null {
  const lastBefore = latestDayBefore(resources, indexDate)?.lastBefore ?? null;
  return lastBefore === null ? null : dayToIsoDate(lastBefore);
}

/** What the model reads, in a clinician's words (the feature builder's types, shared/model-input.ts). */
const MODEL_READS = "visits, diagnoses, medicines, BMI, weight and height";

/**
 * The sentence beside the risk. `partlyRead`: a part of the model's input could not be read in
 * full (an optional query failed, was not granted, or came in part; its own caveat says which),
 * so the sentence speaks of what could be read: the unread part may hold a recent entry.
 */
export function notCurrentCaveat(found: NotCurrent, indexDate: string, partlyRead = false): string {
  const read = partlyRead ? " in the parts of the record that could be read" : "";
  if (found.latestBefore === null) {
    return `Nothing the model reads (${MODEL_READS}) is dated before ${indexDate}${read}: this estimate rests on no history from the record.`;
  }
  return (
    `Nothing the model reads (${MODEL_READS}) is dated in the ${CURRENT_RECORD_DAYS} days before ${indexDate}${read} ` +
    `(the latest such entry is from ${found.latestBefore}): care given since, elsewhere or not yet recorded, is not in this estimate.`
  );
}
