/**
 * All metrics of one model on one set of rows. A metric that the rows cannot support (e.g. a
 * subgroup without cases) is null rather than an error, so small subgroups still report counts.
 */
import { RISK_TIER_CONFIG } from "../../shared/risk-tiers.ts";
import {
  type Estimate,
  type ReliabilityBin,
  brier,
  calibrationSlopeIntercept,
  eceOfBins,
  integratedCalibrationIndex,
  observedExpected,
  reliabilityBins,
} from "./metrics/calibration.ts";
import { auprc, auroc } from "./metrics/discrimination.ts";
import { type ThresholdMetrics, atThreshold } from "./metrics/thresholds.ts";
import { type Interval, MetricInputError, type Scored } from "./metrics/types.ts";

export interface MetricSet {
  rows: number;
  cases: number;
  prevalence: number;
  meanPredicted: number;
  auroc: (Interval & { standardError: number }) | null;
  auprc: number | null;
  brier: number | null;
  /** Observed cases / sum of predicted risks, with its 95% interval and the patients' design effect in it. */
  observedExpected: (Interval & { designEffect: number }) | null;
  calibration: { slope: Estimate; intercept: Estimate } | null;
  /** Integrated calibration index and the median and 90th percentile of the same differences. */
  ici: { ici: number; e50: number; e90: number } | null;
  ece: number | null;
  reliability: ReliabilityBin[];
  /** At each tier threshold (RISK_TIER_CONFIG): moderate, high. */
  tierThresholds: { tier: string; metrics: ThresholdMetrics }[];
}

/** Discrimination-only metrics, for case-control sets where calibration is meaningless. */
export type DiscriminationSet = Pick<MetricSet, "rows" | "cases" | "auroc" | "auprc" | "tierThresholds">;

function orNull<T>(compute: () => T): T | null {
  try {
    return compute();
  } catch (err) {
    if (err instanceof MetricInputError) return null;
    throw err;
  }
}

function tierThresholds(data: Scored): MetricSet["tierThresholds"] {
  return Object.entries(RISK_TIER_CONFIG.thresholds).map(([tier, t]) => ({ tier, metrics: atThreshold(data, t) }));
}

export function discriminationSet(data: Scored): DiscriminationSet {
  const rows = data.labels.length;
  let cases = 0;
  for (let i = 0; i < rows; i++) cases += data.labels[i] as number;
  return {
    rows,
    cases,
    auroc: orNull(() => auroc(data)),
    auprc: orNull(() => auprc(data)),
    tierThresholds: tierThresholds(data),
  };
}

export function metricSet(data: Scored): MetricSet {
  const base = discriminationSet(data);
  let sum = 0;
  for (let i = 0; i < base.rows; i++) sum += data.scores[i] as number;
  const reliability = base.rows === 0 ? [] : reliabilityBins(data);
  return {
    ...base,
    prevalence: base.rows === 0 ? 0 : base.cases / base.rows,
    meanPredicted: base.rows === 0 ? 0 : sum / base.rows,
    brier: orNull(() => brier(data)),
    observedExpected: orNull(() => observedExpected(data)),
    calibration: orNull(() => calibrationSlopeIntercept(data)),
    ici: orNull(() => integratedCalibrationIndex(data)),
    // From the report's own bins: the bins (patient intervals included) are made once.
    ece: orNull(() => eceOfBins(reliability)),
    reliability,
  };
}
