import { describe, expect, it } from "vitest";
import { buildReport } from "../../../models/evaluation/build-report.ts";
import type { CollectedPredictions } from "../../../models/evaluation/collect-predictions.ts";
import { markdownReport } from "../../../models/evaluation/markdown-report.ts";
import { auroc } from "../../../models/evaluation/metrics/discrimination.ts";
import { ORACLE, emptyTable } from "../../../models/evaluation/prediction-table.ts";
import { reliabilitySvg } from "../../../models/evaluation/reliability-svg.ts";
import type { RiskModelInfo } from "../../../shared/inference/index.ts";
import { prng } from "../../shared/inference/fixtures.ts";

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** 4,000 rows: an oracle risk, a "deep" model that sees it with noise, a baseline with more. */
function collected(): CollectedPredictions {
  const rand = prng(42);
  const table = emptyTable(["deep-koa", "baseline-aggregated-lr", ORACLE]);
  for (let i = 0; i < 4000; i++) {
    const age = 20 + rand() * 70;
    const logit = -6 + (age - 20) * 0.05 + (rand() - 0.5) * 2;
    const risk = sigmoid(logit);
    table.labels.push(rand() < risk ? 1 : 0);
    table.ageYears.push(age);
    table.sex.push(rand() < 0.5 ? "female" : "male");
    table.patientIndex.push(Math.floor(i / 2));
    table.scores[ORACLE]!.push(risk);
    table.scores["deep-koa"]!.push(sigmoid(logit + (rand() - 0.5) * 0.5));
    table.scores["baseline-aggregated-lr"]!.push(sigmoid(logit + (rand() - 0.5) * 3));
  }
  return {
    table,
    labelSource: "truth",
    patients: 2000,
    indexDates: 4100,
    excluded: { under_min_age: 100 },
    unmatched: { truthWithoutRecord: 0, recordWithoutTruth: 0 },
    population: { format: "ndjson", grouping: "merge-join", resourcesByType: {}, skipped: {}, shared: {}, ignoredFiles: [], patients: 2000 },
  };
}

const info = (name: string): RiskModelInfo & { file: string } => ({
  name,
  version: "t",
  specVersion: "s",
  trainedAt: "now",
  trainingData: "test | data",
  metrics: {},
  channels: [],
  staticFeatures: [],
  file: `${name}.onnx`,
});

describe("buildReport", () => {
  const input = collected();
  const report = buildReport({ directory: "cohort", collected: input, models: [info("deep-koa"), info("baseline-aggregated-lr")], now: new Date(0) });

  it("reports every model and the oracle with the metric functions' values", () => {
    expect(Object.keys(report.overall)).toEqual(["deep-koa", "baseline-aggregated-lr", ORACLE]);
    const t = input.table;
    expect(report.overall["deep-koa"]!.auroc!.estimate).toBe(auroc({ scores: t.scores["deep-koa"]!, labels: t.labels }).estimate);
    expect(report.cohort).toMatchObject({ scoredRows: 4000, scoredPatients: 2000, cases: t.labels.reduce((s, y) => s + y, 0) });
    expect(report.primaryModel).toBe("deep-koa");
  });

  it("compares the primary model with the others and evaluates the targets", () => {
    expect(report.comparisons.map((c) => c.against)).toEqual(["baseline-aggregated-lr", ORACLE]);
    const ratio = report.overall["deep-koa"]!.auroc!.estimate / report.overall[ORACLE]!.auroc!.estimate;
    expect(report.targets.aurocRatioToOracle.value).toBeCloseTo(ratio, 12);
    expect(report.targets.aurocRatioToOracle.met).toBe(ratio >= 0.97);
    const lower = report.comparisons[0]!.aurocDifference!.lower;
    expect(report.targets.beatsAggregatedBaseline).toEqual({ differenceLower95: lower, met: lower > 0 });
    expect(report.targets.ece.value).toBe(report.overall["deep-koa"]!.ece);
  });

  it("has subgroups by sex and age band, and a matched set whose controls share the cases' sex", () => {
    expect(report.subgroups.map((g) => g.name)).toEqual(["sex: female", "sex: male", "age: 18-44", "age: 45-64", "age: 65-74", "age: 75+"]);
    expect(report.subgroups[0]!.rows + report.subgroups[1]!.rows).toBe(4000);
    const m = report.matchedCaseControl;
    expect(m.cases).toBe(report.cohort.cases);
    expect(m.metrics["deep-koa"]!.rows).toBe(m.cases + m.controls);
    // Matching on age removes most of what age alone explains: the oracle's AUROC drops.
    expect(m.metrics[ORACLE]!.auroc!.estimate).toBeLessThan(report.overall[ORACLE]!.auroc!.estimate);
  });

  it("renders Markdown with the disclaimer, every section and the published numbers", () => {
    const md = markdownReport(report, "reliability.svg");
    for (const heading of ["## Cohort", "## Targets", "## Overall", "## Reliability", "## At the tier thresholds", "## Subgroups", "## Age- and sex-matched case-control"]) {
      expect(md).toContain(heading);
    }
    expect(md).toContain("not validated for clinical use");
    expect(md).toContain("AUROC 0.97");
    expect(md).toContain("| test / data |");
    expect(md).toContain("![reliability plot](reliability.svg)");
  });

  it("draws one line per model in the reliability SVG", () => {
    const svg = reliabilitySvg(
      Object.fromEntries(Object.entries(report.overall).map(([n, m]) => [n, m.reliability])),
      "a <title> & more",
    );
    expect(svg.match(/<polyline/g)).toHaveLength(3);
    expect(svg).toContain("<title>a &lt;title&gt; &amp; more</title>");
    expect(svg.startsWith("<svg")).toBe(true);
  });
});
