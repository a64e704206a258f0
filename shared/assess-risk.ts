/**
 * The one path from a patient's FHIR record to a knee OA risk: features, eligibility, and for
 * eligible patients the probability, tier and drivers. The CDS service, the SMART app and the
 * population job all call assessRisk, so they cannot disagree about a patient.
 */
import { buildFeatures } from "./features/build-features.ts";
import type { Eligibility, FeatureOptions, PatientFeatures, PatientResources } from "./features/types.ts";
import { type ExplainOptions, type RiskDriver, explainRisk } from "./inference/explain.ts";
import type { RiskModel, RiskModelInfo } from "./inference/index.ts";
import { RISK_TIER_CONFIG, type RiskTier, type RiskTierConfig, riskTier } from "./risk-tiers.ts";

/** The disclaimer in a few words, where a risk is shown in little room (the card's summary, each
 * of the app's sections with a risk). */
export const SHORT_DISCLAIMER = "Synthetic-data model, not for clinical use";

/** To be shown wherever a risk from the shipped model is shown to a person. */
export const MODEL_DISCLAIMER =
  "The shipped Deep-KOA model is trained on synthetic data and is not validated for clinical use: " +
  "retrain and validate it locally before relying on it.";

export interface AssessRiskOptions {
  /** Passed to buildFeatures (e.g. the minimum age). */
  features?: FeatureOptions;
  /** Compute drivers by occlusion (one extra batched model call). Default true. */
  explain?: boolean;
  explanation?: ExplainOptions;
  tiers?: Readonly<RiskTierConfig>;
}

export interface RiskAssessmentResult {
  features: PatientFeatures;
  eligibility: Eligibility;
  model: RiskModelInfo;
  /** Present only when eligible: calibrated probability of knee OA diagnosed within 1 year. */
  probability?: number;
  tier?: RiskTier;
  /** Present when eligible and explanation was asked for; sorted by absolute effect. */
  drivers?: RiskDriver[];
  /** Probability with every driver at its reference value (see explain-reference.ts). */
  referenceProbability?: number;
}

/**
 * Assesses one patient at `indexDate` (YYYY-MM-DD; the risk is for the year starting there).
 * Ineligible patients (under the minimum age, already diagnosed, no birth date, no Patient)
 * get features and eligibility only: the model is not run for them.
 *
 * Not an async function on purpose: the features are built before it returns, and nothing of
 * `resources` is kept while the model runs (a suspended async function keeps its arguments,
 * and a server's parsed request body with them).
 */
export function assessRisk(
  model: RiskModel,
  resources: PatientResources,
  indexDate: string,
  options: AssessRiskOptions = {},
): Promise<RiskAssessmentResult> {
  let features: PatientFeatures;
  try {
    features = buildFeatures(resources, indexDate, options.features);
  } catch (err) {
    return Promise.reject(err);
  }
  return assessFeatures(model, features, options);
}

/**
 * assessRisk for features already built (buildFeatures of the record at the index date, with
 * the same feature options): for the hook, which must not keep the record while the model runs,
 * and for a caller that assesses one patient twice (the population job: every patient without
 * drivers, then the riskiest again with them), which builds the features once.
 */
export async function assessFeatures(
  model: RiskModel,
  features: PatientFeatures,
  options: Omit<AssessRiskOptions, "features"> = {},
): Promise<RiskAssessmentResult> {
  if (!features.eligibility.eligible) return riskResult(model, features, undefined);
  const tiers = options.tiers ?? RISK_TIER_CONFIG;
  if (options.explain === false) return riskResult(model, features, (await model.predict([features]))[0] as number, tiers);
  // explainRisk's batch includes the unoccluded row, so the probability costs no extra call.
  const explanation = await explainRisk(model, features, options.explanation);
  return {
    ...riskResult(model, features, explanation.probability, tiers),
    drivers: explanation.drivers,
    referenceProbability: explanation.referenceProbability,
  };
}

/** The result without drivers: features and eligibility, and with a probability its tier. */
export function riskResult(
  model: RiskModel,
  features: PatientFeatures,
  probability: number | undefined,
  tiers: Readonly<RiskTierConfig> = RISK_TIER_CONFIG,
): RiskAssessmentResult {
  const base = { features, eligibility: features.eligibility, model: model.info };
  return probability === undefined ? base : { ...base, probability, tier: riskTier(probability, tiers) };
}
