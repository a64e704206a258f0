/**
 * The risk trend: the risk at monthly index dates over the past 3 years, each from the data
 * that existed before that date (the feature builder ignores anything dated on or after its
 * index date), so each point is what the card would have said that day. One batched model run
 * for all the dates (shared/assess-risk-batch.ts).
 *
 * A date on or before the day the record starts (shared/record-dates.ts recordSpan, the rule the
 * population job's index dates use) has no record before it: the model would still give a risk
 * from age and sex alone, which would read as a history the patient does not have there, so such
 * a date is "no-record" and not assessed.
 */
import type { Resource } from "fhir/r4";
import type { RiskAssessmentResult } from "../../shared/assess-risk.ts";
import { assessRiskAtDates } from "../../shared/assess-risk-batch.ts";
import type { IneligibleReason } from "../../shared/features/types.ts";
import { isoDateAtPrecision, parseFhirDay } from "../../shared/fhir-dates.ts";
import { formatRisk } from "../../shared/format-risk.ts";
import type { RiskModel } from "../../shared/inference/index.ts";
import { monthlyIndexDates } from "../../shared/monthly-index-dates.ts";
import { recordSpan } from "../../shared/record-dates.ts";
import { RISK_TIER_CONFIG, type RiskTier } from "../../shared/risk-tiers.ts";

export const TREND_MONTHS = 36;

export interface TrendPoint {
  indexDate: string;
  /** null when the model did not apply at that date, or there was no record yet (see `state`). */
  probability: number | null;
  state: "risk" | "already-diagnosed" | "not-applicable" | "no-record";
  /** For "already-diagnosed": the first knee OA diagnosis, as precisely as the record dates it ("2013", not "2013-01-01"). */
  firstDiagnosed?: string;
  /** For "not-applicable": why the model does not apply at that date (shared eligibility). */
  notApplicable?: readonly IneligibleReason[];
}

/** Whether an index date sees any of the record: only what is dated before it counts. */
function hasRecordBefore(indexDate: string, firstDay: number | undefined): boolean {
  return firstDay !== undefined && (parseFhirDay(indexDate) as number) > firstDay;
}

export async function riskTrend(model: RiskModel, resources: readonly Resource[], indexDate: string): Promise<TrendPoint[]> {
  const dates = monthlyIndexDates(indexDate, TREND_MONTHS);
  const firstDay = recordSpan(resources)?.first;
  const assessed = dates.filter((date) => hasRecordBefore(date, firstDay));
  const results = await assessRiskAtDates(model, resources, assessed);
  const noRecord = dates.length - assessed.length;
  return dates.map((date, i): TrendPoint => {
    // The assessed dates are the last ones (the dates ascend), so results[0] is dates[noRecord].
    if (i < noRecord) return { indexDate: date, probability: null, state: "no-record" };
    const result = results[i - noRecord] as RiskAssessmentResult;
    if (result.probability !== undefined) return { indexDate: date, probability: result.probability, state: "risk" };
    const diagnosed = result.eligibility.alreadyDiagnosed;
    if (diagnosed === undefined) return { indexDate: date, probability: null, state: "not-applicable", notApplicable: result.eligibility.reasons };
    return { indexDate: date, probability: null, state: "already-diagnosed", firstDiagnosed: isoDateAtPrecision(diagnosed.date, diagnosed.precision) };
  });
}

/** Tick spacings of the chart's risk axis, in tenths of a percent (the grid formatRisk prints). */
const TICK_STEPS = [1, 2, 5, 10, 20, 50, 100, 200] as const;
const MAX_TICK_INTERVALS = 5;

/**
 * The chart's risk axis, as probabilities: from 0, since an axis that starts higher makes a
 * small change look large, up to at least the moderate tier's threshold, so that months that all
 * read "<0.1%" lie flat at the bottom instead of filling the chart as steps. The ticks are on the
 * one-decimal percent grid that formatRisk prints, so no tick label is rounded.
 */
export function trendRiskAxis(points: readonly TrendPoint[]): { max: number; ticks: number[] } {
  const highest = Math.max(RISK_TIER_CONFIG.thresholds.moderate, ...points.map((p) => p.probability ?? 0));
  // Tenths of a percent; the small tolerance keeps 1.0% on 1.0% despite binary fractions.
  const top = highest * 1000 - 1e-9;
  const step = TICK_STEPS.find((s) => top <= s * MAX_TICK_INTERVALS) ?? (TICK_STEPS.at(-1) as number);
  const ticks = Array.from({ length: Math.ceil(top / step) + 1 }, (_, k) => (k * step) / 1000);
  return { max: ticks.at(-1) as number, ticks };
}

/** A tick label: formatRisk, except at the axis's ends, which are exact (formatRisk never says
 * 0% or 100% of a patient's risk, but the axis's origin is 0). */
export function formatRiskTick(probability: number): string {
  if (probability <= 0) return "0%";
  if (probability >= 1) return "100%";
  return formatRisk(probability);
}

/** A tier's lower bound, drawn on the chart as a reference line. */
export interface TierLine {
  tier: Exclude<RiskTier, "low">;
  probability: number;
}

/**
 * The tiers' thresholds (shared/risk-tiers.ts, the card's) that lie on the chart's risk axis, in
 * ascending order: the moderate one always (the axis reaches it), the high one when the axis
 * reaches it. The chart draws them and its text alternative names them.
 */
export function tierLines(axisMax: number): TierLine[] {
  const { moderate, high } = RISK_TIER_CONFIG.thresholds;
  const lines: TierLine[] = [
    { tier: "moderate", probability: moderate },
    { tier: "high", probability: high },
  ];
  return lines.filter((line) => line.probability <= axisMax);
}
