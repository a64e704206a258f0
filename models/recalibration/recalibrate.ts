/**
 * Local recalibration of one model's scored rows: split the rows by patient, fit the
 * recalibration on one part, and measure calibration and discrimination before and after on the
 * held-out part, which the fit did not see.
 */
import { type CalibrationVerdict, calibrationVerdict } from "../evaluation/build-report.ts";
import { type MetricSet, metricSet } from "../evaluation/metric-set.ts";
import { type PredictionTable, selectRows } from "../evaluation/prediction-table.ts";
import { splitByPatient } from "./patient-split.ts";
import { type Recalibration, type RecalibrationMethod, applyRecalibration, fitRecalibration } from "./recalibration-fit.ts";

export interface RecalibrationOptions {
  method: RecalibrationMethod;
  /** Share of patients held out for the before/after evaluation. */
  holdoutShare: number;
  /** Seed of the patient split. */
  seed: number;
}

export interface SplitCounts {
  rows: number;
  patients: number;
  cases: number;
}

export interface RecalibrationResult {
  recalibration: Recalibration;
  fit: SplitCounts;
  holdout: SplitCounts & {
    before: MetricSet;
    after: MetricSet;
    verdictBefore: CalibrationVerdict;
    verdictAfter: CalibrationVerdict;
  };
}

const counts = (table: PredictionTable): SplitCounts => ({
  rows: table.labels.length,
  patients: new Set(table.patientIndex).size,
  cases: table.labels.reduce((s, y) => s + y, 0),
});

export function recalibrate(table: PredictionTable, model: string, options: RecalibrationOptions): RecalibrationResult {
  const split = splitByPatient(table.patientIndex, options.holdoutShare, options.seed);
  const fitRows = selectRows(table, split.fit);
  const heldOut = selectRows(table, split.holdout);
  const scoresOf = (t: PredictionTable) => t.scores[model] ?? [];
  const recalibration = fitRecalibration(options.method, { scores: scoresOf(fitRows), labels: fitRows.labels });
  const heldOutRows = { labels: heldOut.labels, clusters: heldOut.patientIndex };
  const before = metricSet({ ...heldOutRows, scores: scoresOf(heldOut) });
  const after = metricSet({ ...heldOutRows, scores: scoresOf(heldOut).map((p) => applyRecalibration(recalibration, p)) });
  return {
    recalibration,
    fit: counts(fitRows),
    holdout: { ...counts(heldOut), before, after, verdictBefore: calibrationVerdict(before), verdictAfter: calibrationVerdict(after) },
  };
}
