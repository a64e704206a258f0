/** Classification at a probability threshold (positive when score >= threshold). */
import { type Scored, checkScored } from "./types.ts";

export interface ThresholdMetrics {
  threshold: number;
  /** Rows flagged (score >= threshold), as a fraction of all rows. */
  flaggedFraction: number;
  /** null when undefined (no cases, no controls, or nothing flagged). */
  sensitivity: number | null;
  specificity: number | null;
  ppv: number | null;
  npv: number | null;
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

export function atThreshold(data: Scored, threshold: number): ThresholdMetrics {
  checkScored(data);
  let tp = 0, fp = 0, tn = 0, fn = 0;
  for (let i = 0; i < data.labels.length; i++) {
    const flagged = (data.scores[i] as number) >= threshold;
    if (data.labels[i] === 1) flagged ? tp++ : fn++;
    else flagged ? fp++ : tn++;
  }
  return {
    threshold,
    flaggedFraction: ratio(tp + fp, data.labels.length) ?? 0,
    sensitivity: ratio(tp, tp + fn),
    specificity: ratio(tn, tn + fp),
    ppv: ratio(tp, tp + fp),
    npv: ratio(tn, tn + fn),
    truePositives: tp,
    falsePositives: fp,
    trueNegatives: tn,
    falseNegatives: fn,
  };
}
