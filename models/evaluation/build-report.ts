/**
 * Assembles the evaluation report (JSON-serialisable) from the scored cohort: what was read,
 * skipped and not scored, overall metrics per model, the deep model against each baseline and
 * the oracle, rows with and without BMI, subgroups, an age- and sex-matched case-control set, a
 * threshold scan for choosing tiers, and the published numbers.
 */
import { MODEL_DISCLAIMER } from "../../shared/assess-risk.ts";
import type { RiskModelInfo } from "../../shared/inference/index.ts";
import { RISK_TIER_CONFIG } from "../../shared/risk-tiers.ts";
import type { CollectedPredictions } from "./collect-predictions.ts";
import { type MatchingOptions, matchCaseControl } from "./matching.ts";
import { type DiscriminationSet, type MetricSet, discriminationSet, metricSet } from "./metric-set.ts";
import { aurocDifference } from "./metrics/discrimination.ts";
import { type ThresholdMetrics, atThreshold } from "./metrics/thresholds.ts";
import { type Interval, MetricInputError, type Scored } from "./metrics/types.ts";
import { ORACLE, type PredictionTable, selectRows } from "./prediction-table.ts";
import { PUBLISHED_DEEP_KOA } from "./published.ts";
import { subgroups } from "./subgroups.ts";

/** Thresholds scanned for the tier choice (1-year probability). */
export const THRESHOLD_SCAN = [0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3];

/**
 * The targets for the primary model. Calibration is acceptable only when observed/expected and
 * the calibration slope are both near 1: an ECE target alone is met at a prevalence of 0.3% even
 * by a model that always answers 0.
 */
export const TARGETS = {
  aurocRatioToOracle: 0.97,
  observedExpected: { min: 0.8, max: 1.25 },
  calibrationSlope: { min: 0.8, max: 1.2 },
};

export interface ModelComparison {
  model: string;
  against: string;
  aurocDifference: (Interval & { standardError: number; pValue: number }) | null;
}

export interface EvaluationReport {
  generatedAt: string;
  disclaimer: string;
  cohort: {
    directory: string;
    labelSource: CollectedPredictions["labelSource"];
    patients: number;
    indexDates: number;
    scoredRows: number;
    scoredPatients: number;
    cases: number;
    prevalence: number;
    patientsWithoutIndexDates: CollectedPredictions["patientsWithoutIndexDates"];
    excluded: Record<string, number>;
    unmatched: CollectedPredictions["unmatched"];
  };
  /** What the reader did not use: files not read as FHIR, lines and resources skipped. */
  input: {
    format: string;
    ignoredFiles: { file: string; reason: string }[];
    skipped: Record<string, number>;
    /** The first skipped lines as file:line (population/types.ts, MAX_LISTED_SKIPPED_LINES). */
    skippedLines: { where: string; reason: string }[];
    resourcesByType: Record<string, number>;
  };
  primaryModel: string;
  models: (RiskModelInfo & { file: string })[];
  tierThresholds: Record<string, number>;
  overall: Record<string, MetricSet>;
  comparisons: ModelComparison[];
  targets: {
    aurocRatioToOracle: { value: number | null; target: number; met: boolean | null };
    calibration: {
      observedExpected: number | null;
      slope: number | null;
      ranges: typeof TARGETS.observedExpected & { slope: typeof TARGETS.calibrationSlope };
      acceptable: boolean | null;
    };
    beatsAggregatedBaseline: { differenceLower95: number | null; met: boolean | null };
  };
  /** Rows without a BMI before the index date, and each model's AUROC on rows with and without one. */
  bmi: {
    rowsWithoutBmi: number;
    shareWithoutBmi: number;
    auroc: Record<string, { withBmi: Interval | null; withoutBmi: Interval | null }>;
  };
  subgroups: { name: string; rows: number; cases: number; metrics: Record<string, MetricSet> }[];
  matchedCaseControl: {
    description: string;
    cases: number;
    controls: number;
    casesShortOfControls: number;
    metrics: Record<string, DiscriminationSet>;
    comparisons: ModelComparison[];
  };
  thresholdScan: Record<string, ThresholdMetrics[]>;
  published: typeof PUBLISHED_DEEP_KOA;
}

export interface ReportInput {
  directory: string;
  collected: CollectedPredictions;
  models: (RiskModelInfo & { file: string })[];
  matching?: MatchingOptions;
  now?: Date;
}

/** Each model's rows as metric input; the patient of each row goes with them, so that the
 * intervals count patients (several index dates of one patient are not independent). */
const perModel = <T>(table: PredictionTable, f: (data: Scored) => T): Record<string, T> =>
  Object.fromEntries(Object.entries(table.scores).map(([name, scores]) => [name, f({ scores, labels: table.labels, clusters: table.patientIndex })]));

function compare(table: PredictionTable, model: string): ModelComparison[] {
  const scores = table.scores[model];
  if (scores === undefined) return [];
  return Object.keys(table.scores)
    .filter((other) => other !== model)
    .map((against) => {
      let difference: ModelComparison["aurocDifference"] = null;
      try {
        difference = aurocDifference(table.labels, scores, table.scores[against]!, table.patientIndex);
      } catch (err) {
        if (!(err instanceof MetricInputError)) throw err;
      }
      return { model, against, aurocDifference: difference };
    });
}

const within = (value: number | null, range: { min: number; max: number }): boolean | null =>
  value === null ? null : value >= range.min && value <= range.max;

export type CalibrationVerdict = EvaluationReport["targets"]["calibration"];

/** Calibration is acceptable only when O/E and the slope are both within TARGETS' ranges. */
export function calibrationVerdict(metrics: MetricSet | undefined): CalibrationVerdict {
  const oe = metrics?.observedExpected?.estimate ?? null;
  const slope = metrics?.calibration?.slope.estimate ?? null;
  const oeMet = within(oe, TARGETS.observedExpected);
  const slopeMet = within(slope, TARGETS.calibrationSlope);
  return {
    observedExpected: oe,
    slope,
    ranges: { ...TARGETS.observedExpected, slope: TARGETS.calibrationSlope },
    acceptable: oeMet === false || slopeMet === false ? false : oeMet === null || slopeMet === null ? null : true,
  };
}

function targets(overall: Record<string, MetricSet>, comparisons: ModelComparison[], primary: string): EvaluationReport["targets"] {
  const deep = overall[primary];
  const oracle = overall[ORACLE];
  const ratio = deep?.auroc && oracle?.auroc ? deep.auroc.estimate / oracle.auroc.estimate : null;
  // NaN when the interval cannot be estimated (all cases one patient's): then the target is not assessable.
  const found = comparisons.find((c) => c.against === "baseline-aggregated-lr")?.aurocDifference?.lower ?? null;
  const lower = found === null || Number.isNaN(found) ? null : found;
  return {
    aurocRatioToOracle: { value: ratio, target: TARGETS.aurocRatioToOracle, met: ratio === null ? null : ratio >= TARGETS.aurocRatioToOracle },
    calibration: calibrationVerdict(deep),
    beatsAggregatedBaseline: { differenceLower95: lower, met: lower === null ? null : lower > 0 },
  };
}

function bmiSplit(table: PredictionTable): EvaluationReport["bmi"] {
  const without: number[] = [];
  const withBmi: number[] = [];
  table.bmiMissing.forEach((missing, i) => (missing ? without : withBmi).push(i));
  const aurocOf = (rows: number[]) => perModel(selectRows(table, rows), (data) => discriminationSet(data).auroc);
  const on = aurocOf(withBmi);
  const off = aurocOf(without);
  return {
    rowsWithoutBmi: without.length,
    shareWithoutBmi: table.labels.length === 0 ? 0 : without.length / table.labels.length,
    auroc: Object.fromEntries(Object.keys(table.scores).map((name) => [name, { withBmi: on[name] ?? null, withoutBmi: off[name] ?? null }])),
  };
}

/** What the population reader read and did not use. */
export function readerSummary(collected: CollectedPredictions): EvaluationReport["input"] {
  const { format, ignoredFiles, skipped, skippedLines, resourcesByType } = collected.population;
  return { format, ignoredFiles, skipped, skippedLines, resourcesByType };
}

export function buildReport(input: ReportInput): EvaluationReport {
  const { collected, models } = input;
  const table = collected.table;
  const primary = models[0]?.name ?? "";
  const overall = perModel(table, metricSet);
  const comparisons = compare(table, primary);
  const matched = matchCaseControl(table, input.matching);
  const matchedTable = selectRows(table, matched.rows);
  const cases = table.labels.reduce((s, y) => s + y, 0);
  return {
    generatedAt: (input.now ?? new Date()).toISOString(),
    disclaimer: MODEL_DISCLAIMER,
    cohort: {
      directory: input.directory,
      labelSource: collected.labelSource,
      patients: collected.patients,
      indexDates: collected.indexDates,
      scoredRows: table.labels.length,
      scoredPatients: new Set(table.patientIndex).size,
      cases,
      prevalence: table.labels.length === 0 ? 0 : cases / table.labels.length,
      patientsWithoutIndexDates: collected.patientsWithoutIndexDates,
      excluded: collected.excluded,
      unmatched: collected.unmatched,
    },
    input: readerSummary(collected),
    primaryModel: primary,
    models,
    tierThresholds: { ...RISK_TIER_CONFIG.thresholds },
    overall,
    comparisons,
    targets: targets(overall, comparisons, primary),
    bmi: bmiSplit(table),
    subgroups: subgroups(table).map((g) => {
      const sub = selectRows(table, g.rows);
      return {
        name: g.name,
        rows: g.rows.length,
        cases: sub.labels.reduce((s, y) => s + y, 0),
        metrics: perModel(sub, metricSet),
      };
    }),
    matchedCaseControl: {
      description:
        `each case with up to ${matched.controlsPerCase} controls of the same sex and age ` +
        `(widening to +-${matched.maxAgeGap} years); discrimination only: case-control sampling fixes the prevalence, ` +
        "so calibration and PPV here say nothing about the population",
      cases: matched.cases,
      controls: matched.controls,
      casesShortOfControls: matched.casesShortOfControls,
      metrics: perModel(matchedTable, discriminationSet),
      comparisons: compare(matchedTable, primary),
    },
    thresholdScan: perModel(table, (data) => THRESHOLD_SCAN.map((t) => atThreshold(data, t))),
    published: PUBLISHED_DEEP_KOA,
  };
}
