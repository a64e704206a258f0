import { describe, expect, it } from "vitest";
import { buildReport } from "../../../models/evaluation/build-report.ts";
import type { CollectedPredictions } from "../../../models/evaluation/collect-predictions.ts";
import { binTable, markdownReport } from "../../../models/evaluation/markdown-report.ts";
import { reliabilityBins } from "../../../models/evaluation/metrics/calibration.ts";
import { auroc } from "../../../models/evaluation/metrics/discrimination.ts";
import { ORACLE, emptyTable, selectRows } from "../../../models/evaluation/prediction-table.ts";
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
    table.bmiMissing.push(i % 4 === 0);
    table.patientIndex.push(Math.floor(i / 2));
    table.scores[ORACLE]!.push(risk);
    table.scores["deep-koa"]!.push(sigmoid(logit + (rand() - 0.5) * 0.5));
    table.scores["baseline-aggregated-lr"]!.push(sigmoid(logit + (rand() - 0.5) * 3));
  }
  return {
    table,
    labelSource: "truth.ndjson",
    patients: 2000,
    indexDates: 4100,
    patientsWithoutIndexDates: { diagnosedBeforeFirstIndexDate: 3, other: 11 },
    excluded: { under_min_age: 100 },
    unmatched: { truthWithoutRecord: 0, recordWithoutTruth: 0 },
    population: {
      format: "ndjson",
      grouping: "merge-join",
      resourcesByType: {},
      skipped: { "line is not valid JSON": 2 },
      skippedLines: [
        { where: "Condition.ndjson:7", reason: "line is not valid JSON" },
        { where: "Condition.ndjson:9", reason: "line is not valid JSON" },
      ],
      shared: {},
      ignoredFiles: [{ file: "notes.ndjson", reason: "first line is not a FHIR resource" }],
      patients: 2000,
    },
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
    const deep = report.overall["deep-koa"]!;
    expect(report.targets.calibration.observedExpected).toBe(deep.observedExpected!.estimate);
    expect(report.targets.calibration.slope).toBe(deep.calibration!.slope.estimate);
    const oe = deep.observedExpected!.estimate;
    const slope = deep.calibration!.slope.estimate;
    expect(report.targets.calibration.acceptable).toBe(oe >= 0.8 && oe <= 1.25 && slope >= 0.8 && slope <= 1.2);
  });

  /** Reports of each patient once, then of each patient twice with the same row (as if scored at
   * two index dates that looked the same): equal estimates, and intervals that must count patients. */
  const reportsOfPatientsOnceAndTwice = () => {
    const once = collected();
    once.table.patientIndex = once.table.labels.map((_, i) => i);
    const twice = collected();
    twice.table = selectRows(once.table, once.table.labels.flatMap((_, i) => [i, i]));
    const models = [info("deep-koa"), info("baseline-aggregated-lr")];
    const [a, b] = [once, twice].map((c) => buildReport({ directory: "c", collected: c, models, now: new Date(0) }));
    return { a: a!, b: b!, twice, models };
  };

  it("counts patients, not rows, in the AUROC intervals: a patient's copied rows add nothing", () => {
    // Each patient once, then each patient twice with the same row (as if scored at two index
    // dates that looked the same): the estimates are equal, and so must be the intervals.
    const { a, b } = reportsOfPatientsOnceAndTwice();
    const se = (r: typeof a) => [
      r!.overall["deep-koa"]!.auroc!.standardError,
      r!.comparisons[0]!.aurocDifference!.standardError,
      r!.subgroups[0]!.metrics["deep-koa"]!.auroc!.standardError,
      r!.bmi.auroc["deep-koa"]!.withBmi!.upper - r!.bmi.auroc["deep-koa"]!.withBmi!.lower,
    ];
    se(b).forEach((value, i) => expect(value).toBeCloseTo(se(a)[i]!, 12));
    expect(b!.overall["deep-koa"]!.auroc!.estimate).toBeCloseTo(a!.overall["deep-koa"]!.auroc!.estimate, 12);
  });

  it("counts patients, not rows, in the calibration intervals too: O/E, slope, intercept, subgroup O/E and the bins", () => {
    const { a, b, twice, models } = reportsOfPatientsOnceAndTwice();
    const widths = (r: typeof a) => {
      const m = r!.overall["deep-koa"]!;
      return [
        Math.log(m.observedExpected!.upper / m.observedExpected!.lower),
        m.calibration!.slope.standardError,
        m.calibration!.intercept.standardError,
        Math.log(r!.subgroups[0]!.metrics["deep-koa"]!.observedExpected!.upper / r!.subgroups[0]!.metrics["deep-koa"]!.observedExpected!.lower),
      ];
    };
    // Each patient's rows copied: the same patients, about the same intervals (exactly, times
    // sqrt((2K - 1)/(2(K - 1))) = 1.0001 for K = 4000 patients; subgroups have fewer).
    widths(b).forEach((value, i) => expect(value / widths(a)[i]!).toBeCloseTo(1, 3));
    // The copied rows as if independent: narrower by sqrt((2K - 1)/(K - 1)), about sqrt(2).
    const rows = buildReport({ directory: "c", collected: { ...twice, table: { ...twice.table, patientIndex: twice.table.labels.map((_, i) => i) } }, models, now: new Date(0) });
    widths(b).forEach((value, i) => expect(value / widths(rows)[i]!).toBeGreaterThan(1.4));
    expect(widths(b)[0]! / widths(rows)[0]!).toBeCloseTo(Math.sqrt((2 * 4000 - 1) / (4000 - 1)), 9);
    // A bin of n copied pairs has an effective count of 2n (n - 1) / (2n - 1), about n (exactly n,
    // its patients, when it has no case).
    const bins = (r: typeof a) => r!.overall["deep-koa"]!.reliability.map((bin) => bin.observedUpper - bin.observedLower);
    expect(a!.overall["deep-koa"]!.reliability.some((bin) => bin.observedRate === 0)).toBe(true);
    bins(b).forEach((width, i) => expect(width / bins(a)[i]!).toBeCloseTo(1, 2));
  });

  it("calls the target over the aggregated model not assessable when all the cases are one patient's", () => {
    const onePatient = collected();
    const t = onePatient.table;
    t.patientIndex = t.labels.map((y, i) => (y === 1 ? -1 : i));
    const r = buildReport({ directory: "c", collected: onePatient, models: [info("deep-koa"), info("baseline-aggregated-lr")], now: new Date(0) });
    expect(Number.isNaN(r.overall["deep-koa"]!.auroc!.standardError)).toBe(true);
    expect(r.targets.beatsAggregatedBaseline).toEqual({ differenceLower95: null, met: null });
  });

  it("calls calibration acceptable only with O/E in 0.8-1.25 and slope in 0.8-1.2", () => {
    const shifted = collected();
    // Every risk a third of the model's: O/E about 3, whatever the ECE.
    shifted.table.scores["deep-koa"] = shifted.table.scores["deep-koa"]!.map((p) => p / 3);
    const bad = buildReport({ directory: "c", collected: shifted, models: [info("deep-koa")], now: new Date(0) });
    expect(bad.targets.calibration.observedExpected).toBeGreaterThan(2.5);
    expect(bad.targets.calibration.acceptable).toBe(false);
    expect(report.overall[ORACLE]!.observedExpected!.estimate).toBeGreaterThan(0.8);
  });

  it("reports the rows without BMI and each model's AUROC with and without it", () => {
    expect(report.bmi.rowsWithoutBmi).toBe(1000);
    expect(report.bmi.shareWithoutBmi).toBe(0.25);
    const t = input.table;
    const rows = (missing: boolean) => t.labels.map((_, i) => i).filter((i) => t.bmiMissing[i] === missing);
    const aucOn = (idx: number[]) => auroc({ scores: idx.map((i) => t.scores["deep-koa"]![i]!), labels: idx.map((i) => t.labels[i]!) }).estimate;
    expect(report.bmi.auroc["deep-koa"]!.withoutBmi!.estimate).toBeCloseTo(aucOn(rows(true)), 12);
    expect(report.bmi.auroc["deep-koa"]!.withBmi!.estimate).toBeCloseTo(aucOn(rows(false)), 12);
  });

  it("says what was not used in the report and the Markdown", () => {
    expect(report.input.ignoredFiles).toEqual([{ file: "notes.ndjson", reason: "first line is not a FHIR resource" }]);
    expect(report.cohort.patientsWithoutIndexDates).toEqual({ diagnosedBeforeFirstIndexDate: 3, other: 11 });
    const md = markdownReport(report, "reliability.svg");
    expect(md).toContain("Files not read as FHIR: 1: notes.ndjson (first line is not a FHIR resource).");
    expect(md).toContain("skipped by the reader: line is not valid JSON 2.");
    expect(md).toContain("Skipped lines: Condition.ndjson:7 (line is not valid JSON), Condition.ndjson:9 (line is not valid JSON).");
    expect(md).toContain("3 diagnosed with knee OA before the first possible index date, 11 with a record too short or undated");
    expect(md).toContain("Index dates not scored (feature builder's eligibility): under_min_age 100.");
    expect(md).toContain("1000 of 4000 scored rows (25.0%) have no BMI");
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
    for (const heading of ["## Cohort", "### What was not used", "## Targets", "## Overall", "### Calibration", "### Rows without BMI", "## Reliability", "## At the tier thresholds", "## Subgroups", "## Age- and sex-matched case-control"]) {
      expect(md).toContain(heading);
    }
    expect(md).toContain("not validated for clinical use");
    expect(md).toContain("AUROC 0.97");
    expect(md).toContain("| test / data |");
    expect(md).toContain("![reliability plot](reliability.svg)");
    // The primary model's bins with counts and intervals.
    const bins = report.overall["deep-koa"]!.reliability;
    expect(md).toContain(`| 1 | ${bins[0]!.count} |`);
  });

  it("shows a bin whose rows are all one patient's, with both outcomes, without an interval: n/a in the table, no line in the SVG", () => {
    const bins = reliabilityBins({ scores: [0.1, 0.2, 0.3, 0.4], labels: [0, 1, 0, 1], clusters: [5, 5, 5, 5] }, 1);
    expect([bins[0]!.observedLower, bins[0]!.observedUpper].every(Number.isNaN)).toBe(true);
    expect(binTable(bins)).toContain("| 50.00% (no interval) |");
    const svg = reliabilitySvg({ model: bins }, "one patient");
    expect(svg).not.toContain("NaN");
    expect(svg.match(/stroke-opacity="0.6"/g)).toBeNull();
  });

  it("draws one line per model in the reliability SVG", () => {
    const svg = reliabilitySvg(
      Object.fromEntries(Object.entries(report.overall).map(([n, m]) => [n, m.reliability])),
      "a <title> & more",
    );
    expect(svg.match(/<polyline/g)).toHaveLength(3);
    // Every bin of every model has its interval drawn; the first model's bins carry their counts.
    expect(svg.match(/stroke-opacity="0.6"/g)).toHaveLength(30);
    expect(svg.match(/>n=\d+</g)!.length).toBeGreaterThan(0);
    expect(svg).toContain("<title>a &lt;title&gt; &amp; more</title>");
    expect(svg.startsWith("<svg")).toBe(true);
  });
});
