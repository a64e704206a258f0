/** The human-readable evaluation report (Markdown, with the reliability plot as an SVG file). */
import type { EvaluationReport, ModelComparison } from "./build-report.ts";
import type { MetricSet } from "./metric-set.ts";
import type { Interval } from "./metrics/types.ts";

const num = (v: number | null | undefined, digits = 3): string => (v === null || v === undefined || Number.isNaN(v) ? "n/a" : v.toFixed(digits));
const pct = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined ? "n/a" : `${(v * 100).toFixed(digits)}%`);
const ci = (v: Interval | null): string => (v === null ? "n/a" : `${num(v.estimate)} (${num(v.lower)}-${num(v.upper)})`);
const yesNo = (v: boolean | null): string => (v === null ? "n/a" : v ? "met" : "NOT met");

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

function overallTable(overall: Record<string, MetricSet>): string {
  return table(
    ["model", "AUROC (95% CI)", "AUPRC", "Brier", "cal. slope", "cal. intercept", "ECE", "mean predicted", "observed"],
    Object.entries(overall).map(([name, m]) => [
      name,
      ci(m.auroc),
      num(m.auprc),
      num(m.brier, 4),
      num(m.calibration?.slope ?? null, 2),
      num(m.calibration?.intercept ?? null, 2),
      num(m.ece, 4),
      pct(m.meanPredicted, 2),
      pct(m.prevalence, 2),
    ]),
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

- Directory: \`${c.directory}\`; labels from ${c.labelSource === "truth" ? "the simulator's truth.ndjson" : "the index-date policy (population/index-dates.ts)"}.
- ${c.patients} patients, ${c.indexDates} index dates, ${c.scoredRows} eligible rows scored (${c.scoredPatients} patients).
- ${c.cases} knee OA diagnoses within a year of the index date: ${pct(c.prevalence, 2)}.
- Not scored (eligibility): ${Object.entries(c.excluded).map(([k, v]) => `${k} ${v}`).join(", ") || "none"}.

## Models

${table(
  ["model", "version", "trained", "training data"],
  report.models.map((m) => [m.name, m.version, m.trainedAt, m.trainingData.replace(/\|/g, "/")]),
)}

## Targets (primary model: ${primary})

- AUROC at least ${t.aurocRatioToOracle.target} x the oracle's: ratio ${num(t.aurocRatioToOracle.value)}, ${yesNo(t.aurocRatioToOracle.met)}.
- Expected calibration error at most ${t.ece.target}: ${num(t.ece.value, 4)}, ${yesNo(t.ece.met)}.
- Above the aggregated logistic regression (lower 95% bound of the AUROC difference > 0): ${num(t.beatsAggregatedBaseline.differenceLower95)}, ${yesNo(t.beatsAggregatedBaseline.met)}.

## Overall

${overallTable(report.overall)}

${"oracle" in report.overall ? "The oracle is the simulator's true 1-year risk: the ceiling for any model on this cohort.\n" : ""}Calibration slope and intercept: logistic recalibration (ideal 1 and 0); ECE over 10 equal-count bins.

Published Deep-KOA (${report.published.data}): AUROC ${report.published.auroc}, sensitivity
${report.published.sensitivity}, specificity ${report.published.specificity}, precision ${report.published.precision}.
${report.published.caveat}

## ${primary} against the other models

${comparisonTable(report.comparisons)}

## Reliability

![reliability plot](${plotFile})

## At the tier thresholds

${tierTable(report.overall)}

## Threshold scan (${primary})

${table(
  ["threshold", "flagged", "sensitivity", "specificity", "PPV", "NPV"],
  scan.map((s) => [pct(s.threshold), pct(s.flaggedFraction), pct(s.sensitivity), pct(s.specificity), pct(s.ppv), pct(s.npv, 2)]),
)}

## Subgroups (AUROC with 95% CI; ECE)

${table(
  ["subgroup", "rows", "cases", ...modelNames.map((n) => `${n} AUROC`), `${primary} ECE`],
  report.subgroups.map((g) => [
    g.name,
    String(g.rows),
    String(g.cases),
    ...modelNames.map((n) => ci(g.metrics[n]?.auroc ?? null)),
    num(g.metrics[primary]?.ece ?? null, 4),
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
