/** How a 1-year probability is written for people: one rule for the card and the app, so the
 * same probability reads the same in both. */
import { RISK_TIER_CONFIG, type RiskTierConfig } from "./risk-tiers.ts";

/**
 * One decimal of a percent. A probability just below a tier's lower bound that would round up
 * to it (0.0096, or the model's float32 0.0099999998, both "1.0%") is written "<1.0%": a number
 * that reads as the next tier's bound beside the tier below it ("1.0% (Low)", while the card
 * says moderate starts at 1%) would contradict itself.
 */
export function formatRisk(probability: number, thresholds: RiskTierConfig["thresholds"] = RISK_TIER_CONFIG.thresholds): string {
  if (probability < 0.001) return "<0.1%";
  if (probability > 0.999) return ">99.9%";
  const shown = (probability * 100).toFixed(1);
  for (const threshold of [thresholds.moderate, thresholds.high]) {
    // The first number on the display's grid at or above the threshold (1.23% makes 1.3%), so
    // that "<bound" stays true for a threshold between two grid steps.
    const bound = (Math.ceil(threshold * 1000 - 1e-9) / 10).toFixed(1);
    if (probability < threshold && Number(shown) >= Number(bound)) return `<${bound}%`;
  }
  return `${shown}%`;
}
