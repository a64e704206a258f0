/** How a 1-year probability is written: one rule for the card and the app, so the same
 * probability reads the same in both, and one for the population job's files, so that a number
 * written never contradicts the tier written beside it. */
import { RISK_TIER_CONFIG, type RiskTierConfig } from "./risk-tiers.ts";

/**
 * One decimal of a percent. A probability just below a tier's lower bound that would round up
 * to it (0.0096, or the model's float32 0.0099999998, both "1.0%") is written "<1.0%": a number
 * that reads as the next tier's bound beside the tier below it ("1.0% (Low)", while the card
 * says moderate starts at 1%) would contradict itself.
 */
export function formatRisk(probability: number, thresholds: RiskTierConfig["thresholds"] = RISK_TIER_CONFIG.thresholds): string {
  const shown = (probability * 100).toFixed(1);
  for (const threshold of [thresholds.moderate, thresholds.high]) {
    // The first number on the display's grid at or above the threshold (1.23% makes 1.3%), so
    // that "<bound" stays true for a threshold between two grid steps. (Below 0.1% or above 99.9%
    // this never holds: formatPercent's bounds.)
    const bound = (gridStepsAtOrAbove(threshold, 3) / 10).toFixed(1);
    if (probability < threshold && Number(shown) >= Number(bound)) return `<${bound}%`;
  }
  return formatPercent(probability);
}

/**
 * One decimal of a percent, "<0.1%" and ">99.9%" at the edges, with no tier's bound: for a risk
 * that no tier stands beside (the trend's months), where "<1.0%" would read as no number at all.
 */
export function formatPercent(probability: number): string {
  if (probability < 0.001) return "<0.1%";
  if (probability > 0.999) return ">99.9%";
  return `${(probability * 100).toFixed(1)}%`;
}

/** The tiers' lower bounds, for roundedProbability. */
export const TIER_BOUNDS: readonly number[] = [RISK_TIER_CONFIG.thresholds.moderate, RISK_TIER_CONFIG.thresholds.high];

/**
 * A probability rounded to `decimals` places for files that carry it as a number (the population
 * job's high-risk.csv and RiskAssessments), never across one of `thresholds` (the tiers, the
 * list's threshold): a value below a threshold that would round up to it (the float32
 * 0.049999997 is 0.0500 to 4 places, beside the tier "Moderate") is written as the step of the
 * grid below it (0.0499), and one at or above a threshold that would round below it as the step
 * at or above it. A reader who applies the thresholds to the number written gets the tier and the
 * list the run gave.
 */
export function roundedProbability(probability: number, decimals: number, thresholds: readonly number[]): number {
  const scale = 10 ** decimals;
  let rounded = Math.round(probability * scale) / scale;
  for (const threshold of thresholds) {
    const stepAtOrAbove = gridStepsAtOrAbove(threshold, decimals);
    if (probability < threshold && rounded >= threshold) rounded = (stepAtOrAbove - 1) / scale;
    else if (probability >= threshold && rounded < threshold) rounded = stepAtOrAbove / scale;
  }
  return rounded;
}

/** The first step of the grid of `decimals` places at or above `threshold`, counted in steps
 * (1e-9 absorbs float error: 0.05 * 1e4 is 500.00000000000006). */
function gridStepsAtOrAbove(threshold: number, decimals: number): number {
  return Math.ceil(threshold * 10 ** decimals - 1e-9);
}
