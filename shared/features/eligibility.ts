/** Whether the model may score this patient at the index date, and what to warn about. */
import { dayToIsoDate } from "../fhir-dates.ts";
import type { KneeOaEvidence } from "./diagnosis-days.ts";
import type { Eligibility, FeatureWarning, IneligibleReason } from "./types.ts";

export const DEFAULT_MIN_AGE_YEARS = 18;
/** Less recorded history than this raises the short_history warning. */
export const SHORT_HISTORY_YEARS = 1;

export interface EligibilityFacts {
  hasPatient: boolean;
  ageYears: number | null;
  minAgeYears: number;
  /** Died before the index date: there is no next year to predict. */
  deceased: boolean;
  /** Earliest knee OA evidence before the index date. */
  kneeOa: KneeOaEvidence | null;
  historyYears: number;
  hasBmi: boolean;
}

export function assessEligibility(facts: EligibilityFacts): Eligibility {
  const reasons: IneligibleReason[] = [];
  if (!facts.hasPatient) reasons.push("no_patient");
  else if (facts.ageYears === null) reasons.push("no_birth_date");
  // Completed years are negative exactly when the birth day is after the index day (a run for a
  // past date): such a patient is not a child too young for the model, and reports must not say so.
  else if (facts.ageYears < 0) reasons.push("born_after_index");
  else if (facts.ageYears < facts.minAgeYears) reasons.push("under_min_age");
  if (facts.deceased) reasons.push("deceased");
  if (facts.kneeOa !== null) reasons.push("already_diagnosed");
  const warnings: FeatureWarning[] = [];
  if (facts.historyYears < SHORT_HISTORY_YEARS) warnings.push("short_history");
  if (!facts.hasBmi) warnings.push("no_bmi");
  return {
    eligible: reasons.length === 0,
    reasons,
    ...(facts.kneeOa === null ? {} : { alreadyDiagnosed: { date: dayToIsoDate(facts.kneeOa.day), precision: facts.kneeOa.precision } }),
    warnings,
  };
}
