/**
 * The one rule for "the BMI the model used is older than the history it reads", and the sentence
 * the CDS card and the SMART app put beside the risk. The feature builder takes the latest BMI
 * before the index date however old (models/FEATURES.md, "BMI"), while everything else it reads
 * lies in the 156 weeks before the index date: a BMI measured before those weeks is the only input
 * from outside them, and nothing on the number says so (a clinical review found a 4-year-old BMI
 * used in silence).
 */
import { parseCalendarDay } from "./fhir-dates.ts";
import { HISTORY_DAYS } from "./features/spec.ts";

export interface OldBmi {
  bmi: number;
  /** YYYY-MM-DD, as the feature builder dates it (features.demographics.bmiDate). */
  date: string;
}

/** The BMI the model used, when it is dated before the model's history window (the HISTORY_DAYS
 * before the index date); null when it is within it, or there is none, or a date is not a day. */
export function oldBmi(bmi: number | null, bmiDate: string | undefined, indexDate: string): OldBmi | null {
  if (bmi === null || bmiDate === undefined) return null;
  const day = parseCalendarDay(bmiDate);
  const indexDay = parseCalendarDay(indexDate);
  if (day === null || indexDay === null) return null;
  return day < indexDay - HISTORY_DAYS ? { bmi, date: bmiDate } : null;
}

export function oldBmiCaveat(old: OldBmi): string {
  return (
    `The latest BMI on record, ${old.bmi.toFixed(1)} on ${old.date}, is older than the 3 years of history the model reads: ` +
    "the estimate uses it, though weight may have changed since."
  );
}
