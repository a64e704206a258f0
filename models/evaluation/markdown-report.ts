/** The human-readable evaluation report (Markdown, with the reliability plot as an SVG file). */
import type { EvaluationReport, ModelComparison } from "./build-report.ts";
import type { MetricSet } from "./metric-set.ts";
import type { ReliabilityBin } from "./metrics/calibration.ts";
import { inputNotes } from "./input-notes.ts";
import { ci, num, pct, pctInterval, table } from "./markdown-format.ts";

const yesNo = (v: boolean | null): string => (v === null ? "n/a" : v ? "met" : "NOT met");

export function discriminationTable(overall: Record<string, MetricSet>): string {
  return table(
    ["model", "AUROC (95% CI)", "AUPRC", "Brier", "mean predicted", "observed"],
    Object.entries(overall).map(([name, m]) => [name, ci(m.auroc), num(m.auprc), num(m.brier, 4), pct(m.meanPredicted, 2), pct(m.prevalence, 2)]),
  );
}

export function calibrationTable(overall: Record<string, MetricSet>): string {
  return table(
    ["model", "O/E (95% CI)", "slope (95% CI)", "intercept (95% CI)", "ICI", "E50", "E90", "ECE"],
    Object.entries(overall).map(([name, m]) => [
      name,
      ci(m.observedExpected, 2),
      ci(m.calibration?.slope, 2),
      ci(m.calibration?.intercept, 2),
      num(m.ici?.ici, 4),
      num(m.ici?.e50, 4),
      num(m.ici?.e90, 4),
      num(m.ece, 4),
    ]),
  );
}

export function binTable(bins: readonly ReliabilityBin[]): string {
  return table(
    ["bin", "rows", "predicted from", "to", "mean predicted", "observed (95% CI)"],
    bins.map((b, i) => [String(i + 1), String(b.count), pct(b.minPredicted, 2), pct(b.maxPredicted, 2), pct(b.meanPredicted, 2), pctInterval(b.observedRate, b.observedLower, b.observedUpper)]),
  );
}

function comparisonTable(comparisons: ModelComparison[]): string {
  return table(
    ["model", "against", "AUROC difference (95% CI)", "p (paired DeLong)"],
    comparisons.map((c) => [c.model, c.against, ci(c.aurocDifference), c.aurocDifference ? c.aurocDifference.pValue.toExponential(2) : "n/a"]),
  );
}

function tierTable(overall: Record<string, MetricSet>): string {
  return table(
    ["model", "tier from", "threshold", "flagged", "sensitivity", "specificity", "PPV"],
    Object.entries(overall).flatMap(([name, m]) =>
      m.tierThresholds.map(({ tier, metrics: t }) => [
        name,
        tier,
        pct(t.threshold),
        pct(t.flaggedFraction),
        pct(t.sensitivity),
        pct(t.specificity),
        pct(t.ppv),
      ]),
    ),
  );
}

export function markdownReport(report: EvaluationReport, plotFile: string): string {
  const c = report.cohort;
  const primary = report.primaryModel;
  const scan = report.thresholdScan[primary] ?? [];
  const modelNames = Object.keys(report.overall);
  const t = report.targets;
  return `# Deep-KOA evaluation

> ${report.disclaimer}

Generated ${report.generatedAt} by \`npm run evaluate\`.

## Cohort

- Directory: \`${c.directory}\` (${report.input.format}); labels from ${c.labelSource === "truth.ndjson" ? "the simulator's truth.ndjson" : "the index-date policy (population/index-dates.ts)"}.
- ${c.patients} patients, ${c.indexDates} index dates, ${c.scoredRows} eligible rows scored (${c.scoredPatients} patients).
- ${c.cases} knee OA diagnoses within a year of the index date: ${pct(c.prevalence, 2)}.

### What was not used

${inputNotes(report).map((line) => `- ${line}`).join("\n")}

## Models

${table(
  ["model", "version", "trained", "training data"],
  report.models.map((m) => [m.name, m.version, m.trainedAt, m.trainingData.replace(/\|/g, "/")]),
)}

## Targets (primary model: ${primary})

- AUROC at least ${t.aurocRatioToOracle.target} x the oracle's: ratio ${num(t.aurocRatioToOracle.value)}, ${yesNo(t.aurocRatioToOracle.met)}.
- Calibration acceptable (observed/expected within ${t.calibration.ranges.min}-${t.calibration.ranges.max} and slope within ${t.calibration.ranges.slope.min}-${t.calibration.ranges.slope.max}): O/E ${num(t.calibration.observedExpected, 2)}, slope ${num(t.calibration.slope, 2)}: **${t.calibration.acceptable === null ? "n/a" : t.calibration.acceptable ? "acceptable" : "NOT acceptable"}**.
- Above the aggregated logistic regression (lower 95% bound of the AUROC difference > 0): ${num(t.beatsAggregatedBaseline.differenceLower95)}, ${yesNo(t.beatsAggregatedBaseline.met)}.

## Overall

${discriminationTable(report.overall)}

Every interval and p-value in this report counts patients, not rows (a patient's index dates are not independent).
AUROC: DeLong's method with a patient's index dates taken together (Obuchowski, Biometrics 1997;53:567); n/a when all
the cases, or all the controls, are one patient's.
${"oracle" in report.overall ? "The oracle is the simulator's true 1-year risk: the ceiling for any model on this cohort.\n" : ""}
### Calibration

${calibrationTable(report.overall)}

O/E: observed cases over the sum of predicted risks (ideal 1; above 1, the model underestimates); 95% CI from a Poisson
count of cases. Slope: b in logit P(y) = a + b logit(p) (ideal 1; below 1, predictions too extreme); intercept: a with b
fixed at 1 (ideal 0); 95% Wald CIs from each fit's information. Each of these variances is multiplied by the patients'
design effect: the cluster-robust (sandwich) variance with a patient's rows summed over the same with every row its own
patient (Liang and Zeger, Biometrika 1986;73:13; for O/E the ratio's linearised variance, Woodruff, J Am Stat Assoc
1971;66:411), 1 when every patient has one row (designEffect in the JSON). ICI, E50, E90: mean, median and 90th
percentile of |smoothed observed risk - predicted risk|, the smoothed curve a logistic regression on a restricted cubic
spline of logit(p); no interval. ECE: over 10 equal-count bins; at a low prevalence it is small even for useless risks,
so it decides nothing here.

### Rows without BMI

${report.bmi.rowsWithoutBmi} of ${c.scoredRows} scored rows (${pct(report.bmi.shareWithoutBmi)}) have no BMI before the index date
(the model then sees its missing-BMI flag).

${table(
  ["model", "AUROC with BMI (95% CI)", "AUROC without BMI (95% CI)"],
  Object.entries(report.bmi.auroc).map(([name, a]) => [name, ci(a.withBmi), ci(a.withoutBmi)]),
)}

Published Deep-KOA (${report.published.data}): AUROC ${report.published.auroc}, sensitivity
${report.published.sensitivity}, specificity ${report.published.specificity}, precision ${report.published.precision}.
${report.published.caveat}

## ${primary} against the other models

${comparisonTable(report.comparisons)}

## Reliability

![reliability plot](${plotFile})

Bins of ${primary} (equal counts of rows, by predicted risk; observed rate with its 95% Wilson interval at the bin's
effective count: its rows over the design effect of their patients, or its patients when it has no case):

${binTable(report.overall[primary]?.reliability ?? [])}

## At the tier thresholds

${tierTable(report.overall)}

## Threshold scan (${primary})

${table(
  ["threshold", "flagged", "sensitivity", "specificity", "PPV", "NPV"],
  scan.map((s) => [pct(s.threshold), pct(s.flaggedFraction), pct(s.sensitivity), pct(s.specificity), pct(s.ppv), pct(s.npv, 2)]),
)}

## Subgroups (AUROC with 95% CI; O/E)

${table(
  ["subgroup", "rows", "cases", ...modelNames.map((n) => `${n} AUROC`), `${primary} O/E (95% CI)`],
  report.subgroups.map((g) => [
    g.name,
    String(g.rows),
    String(g.cases),
    ...modelNames.map((n) => ci(g.metrics[n]?.auroc ?? null)),
    ci(g.metrics[primary]?.observedExpected, 2),
  ]),
)}

## Age- and sex-matched case-control

${report.matchedCaseControl.cases} cases, ${report.matchedCaseControl.controls} controls; ${report.matchedCaseControl.description}.
${report.matchedCaseControl.casesShortOfControls} cases found fewer controls than asked.

${table(
  ["model", "AUROC unmatched (whole cohort)", "AUROC matched (95% CI)", "AUPRC matched"],
  modelNames.map((n) => [n, ci(report.overall[n]?.auroc ?? null), ci(report.matchedCaseControl.metrics[n]?.auroc ?? null), num(report.matchedCaseControl.metrics[n]?.auprc ?? null)]),
)}

${comparisonTable(report.matchedCaseControl.comparisons)}
`;
}
