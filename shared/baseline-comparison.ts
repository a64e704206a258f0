/**
 * How a patient's risk compares with that of people of the same age and sex: the risk the
 * shipped age/sex baseline model gives for the same features. One sentence, said alike on the
 * card and in the SMART app, so that a tier read alone ("Moderate") is not taken for "above
 * average" when the patient's age and sex already carry that risk.
 */
import type { Sex } from "./features/types.ts";
import { formatRisk } from "./format-risk.ts";
import type { RiskModelInfo } from "./inference/index.ts";

/** The model the reference risk comes from, as the sentence names it. */
const BASELINE_MODEL_LABEL = "age/sex baseline model";

/** The name the training run gives the age/sex baseline model (models/training/train.py). */
const AGE_SEX_BASELINE = "baseline-age-sex-lr";

/** Throws unless the model is the age/sex baseline: the risk of any other model would be called
 * that "of people of the same age and sex". `source` names where it was loaded from. */
export function checkAgeSexBaseline(info: RiskModelInfo, source: string): void {
  if (info.name !== AGE_SEX_BASELINE) throw new Error(`${source} is the model "${info.name}", not the age/sex baseline (${AGE_SEX_BASELINE})`);
}

/** Ratios from here on are said as "more than 10 times": against a reference of a few tenths of
 * a percent, the digits of a larger ratio say more about the baseline model than the patient. */
const LARGEST_STATED_RATIO = 10;

/**
 * The sentence, or null when none would be true: the baseline model knows female and male only,
 * so for another or an unknown sex it gives a value for nobody ("the same age and sex" would be
 * false). A baseline printed as "<0.1%" gets no ratio (the reader could not check it).
 */
export function baselineComparison(probability: number, baseline: number, sex: Sex): string | null {
  if (sex !== "female" && sex !== "male") return null;
  const shownRisk = formatRisk(probability);
  const shownBaseline = formatRisk(baseline);
  const reference = `people of the same age and sex (${shownBaseline}, ${BASELINE_MODEL_LABEL})`;
  // Two risks that print alike are not told apart in words either.
  if (shownRisk === shownBaseline) {
    return shownRisk === formatRisk(0) ? `Below 0.1%, as is the risk of ${reference}.` : `About the same as the risk of ${reference}.`;
  }
  if (shownBaseline === formatRisk(0)) return `Higher than the risk of ${reference}.`;
  const ratio = probability / baseline;
  if (ratio > LARGEST_STATED_RATIO) return `More than ${LARGEST_STATED_RATIO} times the risk of ${reference}.`;
  if (ratio >= 1.1) return `${ratio.toFixed(1)} times the risk of ${reference}.`;
  if (ratio <= 0.9) return `Lower than the risk of ${reference}.`;
  return `About the same as the risk of ${reference}.`;
}
