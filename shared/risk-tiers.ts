/**
 * Risk tiers for the 1-year knee OA probability. The thresholds live in RISK_TIER_CONFIG and
 * nowhere else; the reasoning behind them is in models/deep-koa/MODEL_CARD.md ("Risk tiers").
 *
 * Chosen on the first model's evaluation on the fresh simulated cohort of seed 1001, re-checked
 * there on deep-koa 1.0.0 and 1.1.0 (feature spec koa-features/2), and kept since. The figures
 * below are the shipped deep-koa 1.3.0's (koa-features/3) on that cohort (1-year incidence
 * 0.38%), whose counts at both thresholds equal 1.1.0's. "moderate" from 1%, the yearly
 * incidence of the highest-risk age and sex group (women 70-89, docs/epidemiology.md), so for
 * most patients it flags risk beyond what demographics alone give (not for all: the tier is
 * absolute, and for the oldest women the age/sex baseline may exceed 1%, which is why the card
 * and the SMART app show that comparison beside the tier) (4.7% of patients flagged, sensitivity
 * 40%, PPV 3.2%, 8.6 times the base rate); "high" from 5%, where about one in six flagged
 * patients is diagnosed within the year (0.6% flagged, sensitivity 27%, PPV 16%). Figures and
 * the full threshold scan: models/evaluation/reports/simulated-seed1001/evaluation-report.md.
 * Those come from the cohort the thresholds were checked on; on a second fresh cohort that no
 * choice has seen (seed 2002) they hold: 4.8% flagged, sensitivity 40%, PPV 3.0% from 1%; 0.7%,
 * 27%, 15% from 5% (models/evaluation/reports/simulated-seed2002/evaluation-report.md).
 */

export type RiskTier = "low" | "moderate" | "high";

export interface RiskTierConfig {
  /** Lower bound (inclusive) of each tier above "low", as a 1-year probability. */
  thresholds: { moderate: number; high: number };
  /** Display labels for people. */
  labels: Record<RiskTier, string>;
}

export const RISK_TIER_CONFIG: Readonly<RiskTierConfig> = Object.freeze({
  thresholds: Object.freeze({ moderate: 0.01, high: 0.05 }),
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
