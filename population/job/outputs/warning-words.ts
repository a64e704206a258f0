/** A scored patient's data-quality warnings in words, the same in high-risk.csv and summary.html. */
import { SHORT_HISTORY_YEARS } from "../../../shared/features/eligibility.ts";
import type { FeatureWarning } from "../../../shared/features/types.ts";
import type { RecentKneeOaGrade } from "../../../shared/imaging/recent-kl.ts";
import { isoDateAtPrecision } from "../../../shared/fhir-dates.ts";
import type { OldBmi } from "../../../shared/old-bmi.ts";
import { CURRENT_RECORD_DAYS } from "../../../shared/record-currency.ts";
import type { KneeOaAfterIndex } from "../scored-patient.ts";

const WORDS: Readonly<Record<FeatureWarning, string>> = {
  no_bmi: "no BMI on record",
  short_history: `under ${SHORT_HISTORY_YEARS} year${SHORT_HISTORY_YEARS === 1 ? "" : "s"} of history on record`,
};

export function warningWords(warning: FeatureWarning): string {
  return WORDS[warning];
}

/** A knee graded Kellgren-Lawrence 2 or more by the imaging AI (shared/imaging/recent-kl.ts): the
 * card says the radiograph already shows knee OA, so the estimate is about a coded diagnosis, not
 * the disease (shared/imaging/kl-caveat.ts); a list for outreach says it as a flag. */
export const KNEE_OA_GRADED_WORDS = "knee radiograph graded Kellgren-Lawrence 2 or more by imaging AI (radiographic knee OA already)";

/** The flag of one patient: the words, then which grade of which knee, graded when. */
export function kneeOaGradedFlag(kl: RecentKneeOaGrade): string {
  return `${KNEE_OA_GRADED_WORDS}: grade ${kl.grade}, ${kl.side} knee, ${kl.date}`;
}

/** Osteoarthritis without a stated joint on record (shared/oa-site-not-stated.ts): the card says
 * the estimate does not apply if it is the knee; a list for outreach says it as a flag. */
export const OA_SITE_NOT_STATED_WORDS = "osteoarthritis without a stated joint on record (may be knee OA already)";

/** A knee replacement on record (shared/knee-replaced.ts): done mostly for knee OA, so the card
 * says the estimate may not apply; a list for outreach says it as a flag. */
export const KNEE_REPLACED_WORDS = "knee replacement on record (likely knee OA already)";

/** The BMI the model used is dated before the 3 years (HISTORY_DAYS) of history it reads
 * (shared/old-bmi.ts): the card and the app say the estimate uses it though weight may have changed
 * since (oldBmiCaveat); a list for outreach says it as a flag, so that a rank resting on a BMI
 * measured years ago is seen. */
export const OLD_BMI_WORDS = "BMI older than the 3 years of history the model reads (weight may have changed since)";

/** The flag of one patient: the words, then the BMI as the card writes it and its date. */
export function oldBmiFlag(old: OldBmi): string {
  return `${OLD_BMI_WORDS}: ${old.bmi.toFixed(1)} on ${old.date}`;
}

/** Nothing the model reads dated in the year before the index date (shared/record-currency.ts):
 * the card says care given since is not in the estimate; a list for outreach says it as a flag, with the
 * latest entry before the index date. */
export const NOT_CURRENT_WORDS = `nothing the model reads dated in the ${CURRENT_RECORD_DAYS} days before the index date`;

export function notCurrentFlag(latestBefore: string | null): string {
  return `${NOT_CURRENT_WORDS}, latest entry ${latestBefore ?? "none dated"}`;
}

/** A knee OA diagnosis the data hold from after the index date (scored-patient.ts kneeOaAfterIndex):
 * right for checking the model against what followed, but the patient is already diagnosed by the
 * end of the data, which a list for outreach must say. */
export const KNEE_OA_AFTER_INDEX_WORDS = "knee OA diagnosed after the index date (already diagnosed in the data)";

/** The flag of one patient: the words, then the diagnosis's date as precisely as the record gives it. */
export function kneeOaAfterIndexFlag(found: KneeOaAfterIndex): string {
  return `${KNEE_OA_AFTER_INDEX_WORDS}, on record from ${isoDateAtPrecision(found.date, found.precision)}`;
}
