/**
 * The risk trend: the risk at monthly index dates over the past 3 years, each from the data
 * that existed before that date (the feature builder ignores anything dated on or after its
 * index date), so each point is what the card would have said that day. One batched model run
 * for all the dates (shared/assess-risk-batch.ts).
 */
import type { Resource } from "fhir/r4";
import { assessRiskAtDates } from "../../shared/assess-risk-batch.ts";
import type { RiskModel } from "../../shared/inference/index.ts";
import { monthlyIndexDates } from "../../shared/monthly-index-dates.ts";

export const TREND_MONTHS = 36;

export interface TrendPoint {
  indexDate: string;
  /** null when the model did not apply at that date (see `state`). */
  probability: number | null;
  state: "risk" | "already-diagnosed" | "not-applicable";
}

export async function riskTrend(model: RiskModel, resources: readonly Resource[], indexDate: string): Promise<TrendPoint[]> {
  const dates = monthlyIndexDates(indexDate, TREND_MONTHS);
  const results = await assessRiskAtDates(model, resources, dates);
  return results.map((result, i): TrendPoint => {
    const date = dates[i] as string;
    if (result.probability !== undefined) return { indexDate: date, probability: result.probability, state: "risk" };
    const diagnosed = result.eligibility.reasons.includes("already_diagnosed");
    return { indexDate: date, probability: null, state: diagnosed ? "already-diagnosed" : "not-applicable" };
  });
}
