/**
 * Risk tiers for the 1-year knee OA probability. The thresholds live in RISK_TIER_CONFIG and
 * nowhere else; the reasoning behind them is in models/deep-koa/MODEL_CARD.md ("Risk tiers").
 *
 * The values are PROVISIONAL until chosen from the evaluation of the final model on the held-out
 * split (sensitivity / PPV trade-off). They are anchored on published incidence: about 0.24% per
 * year overall, 1-2% per year in people over 45-70 (REFERENCE.md section 2). "moderate" starts
 * near twice the over-45 average, "high" where roughly one in twenty flagged patients would be
 * diagnosed within the year.
 */

export type RiskTier = "low" | "moderate" | "high";

export interface RiskTierConfig {
  /** Lower bound (inclusive) of each tier above "low", as a 1-year probability. */
  thresholds: { moderate: number; high: number };
  /** Display labels for people. */
  labels: Record<RiskTier, string>;
}

export const RISK_TIER_CONFIG: Readonly<RiskTierConfig> = Object.freeze({
  thresholds: Object.freeze({ moderate: 0.02, high: 0.05 }),
  labels: Object.freeze({ low: "Low", moderate: "Moderate", high: "High" }),
});

/** Tiers in ascending order of risk. */
export const RISK_TIERS: readonly RiskTier[] = ["low", "moderate", "high"];

/** The tier of a probability in [0, 1]; throws RangeError for anything else (including NaN). */
export function riskTier(probability: number, config: Readonly<RiskTierConfig> = RISK_TIER_CONFIG): RiskTier {
  if (!(probability >= 0 && probability <= 1)) throw new RangeError(`risk must be a probability in [0, 1], got ${probability}`);
  if (probability >= config.thresholds.high) return "high";
  if (probability >= config.thresholds.moderate) return "moderate";
  return "low";
}
