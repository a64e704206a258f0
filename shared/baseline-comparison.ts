/**
 * How a patient's risk compares with that of people of the same age and sex: the risk the
 * shipped age/sex baseline model gives for the same features. One sentence, said alike on the
 * card and in the SMART app, so that a tier read alone ("Moderate") is not taken for "above
 * average" when the patient's age and sex already carry that risk.
 */
import { formatRisk } from "./format-risk.ts";

/** The model the reference risk comes from, as the sentence names it. */
export const BASELINE_MODEL_LABEL = "age/sex baseline model";

export function baselineComparison(probability: number, baseline: number): string {
  const reference = `people of the same age and sex (${formatRisk(baseline)}, ${BASELINE_MODEL_LABEL})`;
  const ratio = probability / baseline;
  // Two risks that print alike ("<0.1%" and "<0.1%") are not told apart in words either.
  if (formatRisk(probability) === formatRisk(baseline)) return `About the same as the risk of ${reference}.`;
  if (ratio >= 1.1) return `${ratio.toFixed(1)} times the risk of ${reference}.`;
  if (ratio <= 0.9) return `Lower than the risk of ${reference}.`;
  return `About the same as the risk of ${reference}.`;
}
