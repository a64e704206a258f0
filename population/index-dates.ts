/**
 * The index-date policy: the prediction dates and outcome labels of a patient when no
 * ground truth (truth.ndjson) exists, e.g. for foreign FHIR data. Pure; see README.md.
 *
 * For a record whose resources entered it from `first` to `last` (recordSpan in
 * shared/record-dates.ts: only the types the feature builder reads, so every command gets the same
 * span whatever types it read, each dated as the builder's record history dates it; and of the
 * Observations only body measures, as the readers keep no other: shared/model-input.ts):
 * - Index dates are yearly (same month and day; 29 February falls to 28 February), starting at
 *   `first` + 3 years, so that the model's 3-year window is filled, or at `first` + 1 year for
 *   a short history (one where `first` + 3 years + 365 days is after `last`).
 * - An index date needs a full year of follow-up inside the record (index + 365 days <= `last`),
 *   except when the knee OA diagnosis falls within its year (a seen outcome needs no more).
 * - The knee OA diagnosis D is the earliest knee OA evidence by the feature builder's rules
 *   (models/FEATURES.md section 5: Conditions by onset, else recorded date, else their
 *   Encounter's date; Encounter reasons and diagnoses; entered-in-error and refuted ignored),
 *   on its first day when the date is partial.
 * - Index dates stop at the first one where the feature builder already sees knee OA (evidence
 *   whose whole period ends before the index date): the patient is then a prevalent case, not a
 *   prediction target. A partial diagnosis date that contains the index date (onset `2015-03`,
 *   index 2015-03-15) counts as on or after it, as in the builder: that index date is kept.
 * - Label 1 when the diagnosis enters the record within [index, index + 365 days): the feature
 *   builder, which does not see it at the index date, sees it at index + 365 days (so its
 *   evidence day and, for a Condition, its recordedDate are both before then; a partial date
 *   once its whole period is). Else 0. A diagnosis is an outcome when the record shows it, not
 *   at an onset written down years later ("knee OA since 2010", recorded in 2015, labels the
 *   year before 2015, not the first index date after 2010), as the simulator's labels count the
 *   diagnosis, not the onset (models/cohort/README.md). No index date after a label 1.
 */
import type { Resource } from "fhir/r4";
import { buildFeatures } from "../shared/features/build-features.ts";
import { civilFromDay, dayFromCivil, dayToIsoDate, parseFhirDay } from "../shared/fhir-dates.ts";
import type { Eligibility } from "../shared/features/types.ts";
import { recordSpan } from "../shared/record-dates.ts";

/** Days of follow-up that the label looks at, and that an index date needs. */
export const FOLLOW_UP_DAYS = 365;
/** Years of history before the first index date, normally and for a short history. */
export const HISTORY_YEARS = 3;
export const SHORT_HISTORY_YEARS = 1;

export interface IndexDatePolicyOptions {
  /** Keep only the latest N index dates of each patient. Default: all. */
  maxIndexDates?: number;
}

export interface PolicyIndexDate {
  /** YYYY-MM-DD. */
  indexDate: string;
  label: 0 | 1;
}

export interface IndexDatePlan {
  /** First and last clinical dates (YYYY-MM-DD), null when nothing is dated. */
  firstRecord: string | null;
  lastRecord: string | null;
  /** Earliest knee OA diagnosis (YYYY-MM-DD), or null. */
  kneeOaDiagnosis: string | null;
  /** In date order. */
  indexDates: PolicyIndexDate[];
}

/** The same month and day `years` later (29 February becomes 28 February in common years). */
export function addYears(day: number, years: number): number {
  const { year, month, day: dayOfMonth } = civilFromDay(day);
  const target = year + years;
  const leap = (target % 4 === 0 && target % 100 !== 0) || target % 400 === 0;
  return dayFromCivil(target, month, month === 2 && dayOfMonth === 29 && !leap ? 28 : dayOfMonth);
}

/** An index date after every date a record can hold, so that all its evidence counts. */
const AFTER_ALL_RECORDS = "9999-12-31";

/**
 * The earliest day of knee OA evidence in the record, or null: the feature builder's own rule
 * (Conditions, Encounter reasons and diagnoses), so that a label never misses a diagnosis the
 * features see, and no index date falls where the builder would call the patient diagnosed.
 */
export function kneeOaDiagnosisDay(resources: readonly Resource[]): number | null {
  const date = kneeOaOnRecord(resources)?.date;
  return date === undefined ? null : parseFhirDay(date);
}

/**
 * The earliest knee OA evidence in the whole record, whatever its date, as the feature builder
 * reports an already diagnosed patient (`eligibility.alreadyDiagnosed`: the first day, and how
 * precisely the record dates it), or null. The one rule for "knee OA is on record": the policy's
 * labels, and the population job's flag of a patient the builder did not see diagnosed at the
 * index date whose diagnosis the data hold from after it (job/score-batch.ts).
 */
export function kneeOaOnRecord(resources: readonly Resource[]): NonNullable<Eligibility["alreadyDiagnosed"]> | null {
  return buildFeatures(resources, AFTER_ALL_RECORDS).eligibility.alreadyDiagnosed ?? null;
}

/** Whether the feature builder sees knee OA before this index date (asked only for days on or
 * after the diagnosis's first day, where a partial date's period or a later recordedDate makes
 * the answer depend on the day). */
function diagnosedBefore(resources: readonly Resource[], indexDay: number): boolean {
  return buildFeatures(resources, dayToIsoDate(indexDay)).eligibility.alreadyDiagnosed !== undefined;
}

export function policyIndexDates(resources: readonly Resource[], options: IndexDatePolicyOptions = {}): IndexDatePlan {
  const span = recordSpan(resources);
  const diagnosis = kneeOaDiagnosisDay(resources);
  const plan: IndexDatePlan = {
    firstRecord: span === null ? null : dayToIsoDate(span.first),
    lastRecord: span === null ? null : dayToIsoDate(span.last),
    kneeOaDiagnosis: diagnosis === null ? null : dayToIsoDate(diagnosis),
    indexDates: [],
  };
  if (span === null) return plan;
  const fullHistory = addYears(span.first, HISTORY_YEARS) + FOLLOW_UP_DAYS <= span.last;
  const firstYears = fullHistory ? HISTORY_YEARS : SHORT_HISTORY_YEARS;
  // The builder's answer only turns from "not diagnosed" to "diagnosed" as the day moves later, so
  // a day on or before one it already answered "not" for needs no second build (a year's end and
  // the next index date are the same day or one apart).
  let notDiagnosedThrough = -Infinity;
  const diagnosedAt = (day: number): boolean => {
    if (day <= notDiagnosedThrough) return false;
    const seen = diagnosedBefore(resources, day);
    if (!seen) notDiagnosedThrough = day;
    return seen;
  };
  for (let k = 0; ; k += 1) {
    const index = addYears(span.first, firstYears + k);
    if (diagnosis !== null && index >= diagnosis && diagnosedAt(index)) break;
    const yearEnd = index + FOLLOW_UP_DAYS;
    const outcomeInYear = diagnosis !== null && diagnosis < yearEnd && diagnosedAt(yearEnd);
    if (yearEnd > span.last && !outcomeInYear) break;
    plan.indexDates.push({ indexDate: dayToIsoDate(index), label: outcomeInYear ? 1 : 0 });
    if (outcomeInYear) break;
  }
  const keep = options.maxIndexDates ?? Infinity;
  if (plan.indexDates.length > keep) plan.indexDates = plan.indexDates.slice(plan.indexDates.length - keep);
  return plan;
}
