/**
 * One patient's risk at many index dates (the app's trend): one feature build per date and ONE
 * model run over every eligible row, instead of one run per date. It gives the same results as
 * assessRisk without explanation at each date (test/shared/assess-risk-batch.test.ts).
 */
import { buildFeatures } from "./features/build-features.ts";
import type { FeatureOptions, PatientFeatures, PatientResources } from "./features/types.ts";
import type { RiskModel } from "./inference/index.ts";
import type { RiskTierConfig } from "./risk-tiers.ts";
import { type RiskAssessmentResult, riskResult } from "./assess-risk.ts";

export interface AssessRiskAtDatesOptions {
  features?: FeatureOptions;
  tiers?: Readonly<RiskTierConfig>;
}

/** The record assessed at each of `indexDates` (YYYY-MM-DD), in the same order; no drivers. */
export async function assessRiskAtDates(
  model: RiskModel,
  resources: PatientResources,
  indexDates: readonly string[],
  options: AssessRiskAtDatesOptions = {},
): Promise<RiskAssessmentResult[]> {
  const features = indexDates.map((date) => buildFeatures(resources, date, options.features));
  const eligible = features.filter((f) => f.eligibility.eligible);
  // predict splits only above the model's batch limit (256 rows), far above a trend's 36.
  const probabilities = eligible.length === 0 ? new Float32Array(0) : await model.predict(eligible);
  const probabilityOf = new Map<PatientFeatures, number>(eligible.map((f, i) => [f, probabilities[i] as number]));
  return features.map((f) => riskResult(model, f, probabilityOf.get(f), options.tiers));
}
