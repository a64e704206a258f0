/** The words for the trend chart's tier lines: each line's label, and the sentence that says
 * what the lines are in the chart's hint and its text alternative. The thresholds and the tier
 * names are shared/risk-tiers.ts's, the percentages written as the axis writes them. */
import { RISK_TIER_CONFIG } from "../../shared/risk-tiers.ts";
import { formatRiskTick, type TierLine } from "../risk/risk-trend.ts";

/** "Moderate from 1.0%". */
export function tierLineLabel(line: TierLine): string {
  return `${RISK_TIER_CONFIG.labels[line.tier]} from ${formatRiskTick(line.probability)}`;
}

/** "Dashed lines mark where the Moderate (1.0%) and High (5.0%) risk tiers begin." */
export function tierLinesSentence(lines: readonly TierLine[]): string {
  const named = lines.map((line) => `${RISK_TIER_CONFIG.labels[line.tier]} (${formatRiskTick(line.probability)})`);
  if (named.length === 0) return "";
  if (named.length === 1) return `A dashed line marks where the ${named[0]} risk tier begins.`;
  return `Dashed lines mark where the ${named.slice(0, -1).join(", ")} and ${named.at(-1)} risk tiers begin.`;
}
