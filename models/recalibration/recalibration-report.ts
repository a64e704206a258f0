/** The recalibration report (JSON and Markdown): what was read, the fit, and the held-out patients before and after. */
import { MODEL_DISCLAIMER } from "../../shared/assess-risk.ts";
import { readerSummary } from "../evaluation/build-report.ts";
import type { CollectedPredictions } from "../evaluation/collect-predictions.ts";
import { type InputSummary, inputNotes } from "../evaluation/input-notes.ts";
import { num, table } from "../evaluation/markdown-format.ts";
import { binTable, calibrationTable, discriminationTable } from "../evaluation/markdown-report.ts";
import type { RecalibrationResult } from "./recalibrate.ts";

export interface RecalibrationReport extends InputSummary {
  generatedAt: string;
  disclaimer: string;
  model: { name: string; version: string; file: string; recalibratedVersion: string; recalibratedFile: string };
  options: { method: string; holdoutShare: number; seed: number };
  result: RecalibrationResult;
}

export function recalibrationReport(
  collected: CollectedPredictions,
  result: RecalibrationResult,
  model: RecalibrationReport["model"],
  options: RecalibrationReport["options"],
  now: Date,
): RecalibrationReport {
  return {
    generatedAt: now.toISOString(),
    disclaimer: MODEL_DISCLAIMER,
    cohort: {
      labelSource: collected.labelSource,
      patientsWithoutIndexDates: collected.patientsWithoutIndexDates,
      excluded: collected.excluded,
      unmatched: collected.unmatched,
    },
    input: readerSummary(collected),
    model,
    options,
    result,
  };
}

function parameters(result: RecalibrationResult): string {
  const r = result.recalibration;
  if (r.method === "intercept") return `logit(new risk) = ${num(r.intercept, 4)} + logit(network risk)`;
  return r.method === "logistic"
    ? `logit(new risk) = ${num(r.intercept, 4)} + ${num(r.slope, 4)} x logit(network risk)`
    : `a step function of ${r.thresholds.length} steps (thresholds and values in recalibration-report.json)`;
}

export function recalibrationMarkdown(report: RecalibrationReport, plotFile: string): string {
  const { result } = report;
  const h = result.holdout;
  const verdict = (v: typeof h.verdictBefore) =>
    `O/E ${num(v.observedExpected, 2)}, slope ${num(v.slope, 2)}: **${v.acceptable === null ? "not assessable" : v.acceptable ? "acceptable" : "NOT acceptable"}**`;
  return `# Local recalibration of ${report.model.name} ${report.model.version}

> ${report.disclaimer}

Generated ${report.generatedAt} by \`npm run recalibrate\`. Method: ${report.options.method}; ${parameters(result)}.
The network is unchanged; \`${report.model.recalibratedFile}\` (version ${report.model.recalibratedVersion}) adds the mapping
after it and records in its metadata on what and when it was recalibrated.

## What was read and not used

${inputNotes(report).map((line) => `- ${line}`).join("\n")}

## Split by patient (seed ${report.options.seed})

${table(
  ["part", "patients", "rows", "cases"],
  [
    ["fit", String(result.fit.patients), String(result.fit.rows), String(result.fit.cases)],
    [`held out (${(report.options.holdoutShare * 100).toFixed(0)}% of patients)`, String(h.patients), String(h.rows), String(h.cases)],
  ],
)}

## Held-out patients, before and after

- Before: ${verdict(h.verdictBefore)}.
- After: ${verdict(h.verdictAfter)}.
- Acceptable means O/E within ${h.verdictAfter.ranges.min}-${h.verdictAfter.ranges.max} and slope within ${h.verdictAfter.ranges.slope.min}-${h.verdictAfter.ranges.slope.max}.${h.cases < 100 ? `\n- Only ${h.cases} held-out case${h.cases === 1 ? "" : "s"}: the intervals below are wide; judge the direction, not the decimals.` : ""}

Calibration:

${calibrationTable({ before: h.before, after: h.after })}

Discrimination (${report.options.method === "isotonic" ? "the step function never reverses the order of the risks but ties those within a step, which can move the AUROC a little" : "the mapping keeps the order of the risks, so the AUROC does not change"}):

${discriminationTable({ before: h.before, after: h.after })}

![reliability before and after](${plotFile})

Bins after recalibration:

${binTable(h.after.reliability)}

When to recalibrate and when to retrain: \`models/deep-koa/MODEL_CARD.md\`, "Local recalibration".
`;
}
