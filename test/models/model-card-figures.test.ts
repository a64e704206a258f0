/**
 * The model card's figures are copied by hand from training-report.json and the committed
 * evaluation reports (MODEL_CARD.md, "Where the reports live"). These tests tie the three
 * together and to the shipped ONNX files, so that a retrain, a re-run of the evaluation or a
 * change to a metric cannot leave the card quoting figures that no longer hold.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { EvaluationReport } from "../../models/evaluation/build-report.ts";
import type { Interval } from "../../models/evaluation/metrics/types.ts";
import { ORACLE } from "../../models/evaluation/prediction-table.ts";
import { readOnnxMetadata } from "../../shared/inference/index.ts";

const MODELS = ["deep-koa", "baseline-aggregated-lr", "baseline-age-sex-lr"] as const;
const card = readFileSync("models/deep-koa/MODEL_CARD.md", "utf8");
const training = JSON.parse(readFileSync("models/deep-koa/training-report.json", "utf8"));
const evaluation = (name: string): EvaluationReport =>
  JSON.parse(readFileSync(`models/evaluation/reports/${name}/evaluation-report.json`, "utf8"));
const simulated = evaluation("simulated-seed1001");
const synthea = evaluation("synthea-100");
/** The second fresh cohort, on which no tier threshold was chosen. */
const unseen = evaluation("simulated-seed2002");
/** Each shipped model's ONNX metadata, read once. */
const METADATA = new Map(MODELS.map((model) => [model as string, readOnnxMetadata(new Uint8Array(readFileSync(`models/deep-koa/${model}.onnx`)))]));
const metadata = (model: string) => METADATA.get(model)!;

/** The card's text from a "## " heading to the next one. */
function section(heading: string): string {
  const start = card.indexOf(`\n## ${heading}`);
  expect(start, `card section "${heading}"`).toBeGreaterThan(0);
  const end = card.indexOf("\n## ", start + 1);
  return card.slice(start, end < 0 ? undefined : end);
}

/** Prose with its line breaks as spaces (the card wraps lines anywhere). */
const prose = (text: string) => text.replace(/\s+/g, " ");

/** The cells of the table row of `label` in `text`. */
function row(text: string, label: string): string[] {
  const line = text.split("\n").find((l) => l.startsWith(`| ${label} |`));
  expect(line, `a table row "${label}"`).toBeDefined();
  return line!.split("|").slice(2, -1).map((cell) => cell.trim());
}

const fixed = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? "n/a" : v.toFixed(digits));
const pct2 = (v: number) => `${(v * 100).toFixed(2)}%`;
/** "estimate (lower-upper)"; an interval that could not be estimated (null in the JSON) is "(no interval)". */
const range = (v: Interval | null, digits: number) =>
  `${fixed(v?.estimate, digits)} (${v?.lower === null || v?.lower === undefined ? "no interval" : `${fixed(v.lower, digits)}-${fixed(v.upper, digits)}`})`;
const pct1 = (v: number | null) => (v === null ? "n/a" : `${(v * 100).toFixed(1)}%`);
const label = (model: string) => (model === "deep-koa" ? `deep-koa ${metadata(model)["model_version"]}` : model === ORACLE ? "oracle (true risk)" : model);

describe("the model card's figures", () => {
  it("come from reports of the shipped model files", () => {
    for (const model of MODELS) {
      const props = metadata(model);
      expect(props["trained_at"], model).toBe(training.trained_at);
      const { validation, test } = training.models[model];
      expect(JSON.parse(props["metrics"]!), model).toEqual({ validation, test });
      for (const report of [simulated, unseen, synthea]) {
        const info = report.models.find((m) => m.name === model);
        expect({ version: info?.version, trainedAt: info?.trainedAt }, `${model} in ${report.cohort.directory}`).toEqual({
          version: props["model_version"],
          trainedAt: props["trained_at"],
        });
      }
    }
  });

  it("give training-report.json's split and held-out metrics", () => {
    const text = section("Training data (synthetic)");
    const held = (m: { auroc: number; brier: number; mean_predicted: number; positive_rate: number }) => [fixed(m.auroc, 3), fixed(m.brier, 4), `${pct2(m.mean_predicted)} / ${pct2(m.positive_rate)}`];
    for (const model of MODELS) {
      const { validation, test } = training.models[model];
      const [auroc, brier, predicted] = held(test);
      expect(row(text, model), model).toEqual([fixed(validation.auroc, 3), auroc, brier, predicted]);
    }
    const [auroc, brier, predicted] = held(training.oracle.test);
    expect(row(text, "oracle (true risk)")).toEqual([fixed(training.oracle.validation.auroc, 3), auroc, brier, predicted]);
  });

  it("give the fresh simulated cohort's report in the Metrics table and the targets", () => {
    const text = section("Metrics");
    for (const model of [...MODELS, ORACLE]) {
      const m = simulated.overall[model]!;
      const matched = simulated.matchedCaseControl.metrics[model]!;
      expect(row(text, label(model)), model).toEqual([
        range(m.auroc, 3),
        fixed(m.auprc, 3),
        fixed(m.brier, 4),
        range(m.observedExpected, 2),
        range(m.calibration?.slope ?? null, 2),
        range(matched.auroc, 3),
      ]);
    }
    const overLr = simulated.comparisons.find((c) => c.against === "baseline-aggregated-lr")!.aurocDifference!;
    expect(prose(text)).toContain(`AUROC difference +${fixed(overLr.estimate, 3)} (${fixed(overLr.lower, 3)} to ${fixed(overLr.upper, 3)}, paired DeLong p = ${fixed(overLr.pValue, 3)})`);
    for (const report of [simulated, unseen]) {
      for (const { tier, metrics: t } of report.overall["deep-koa"]!.tierThresholds) {
        const figures = [t.sensitivity, t.specificity, t.ppv, t.flaggedFraction].map(pct1).join(" / ");
        expect(prose(text), report.cohort.directory).toContain(`${tier} from ${t.threshold * 100}%: ${figures}`);
      }
    }
    const matchedOverLr = simulated.matchedCaseControl.comparisons.find((c) => c.against === "baseline-aggregated-lr")!.aurocDifference!;
    expect(prose(text)).toContain(`+${fixed(matchedOverLr.estimate, 3)}, ${fixed(matchedOverLr.lower, 3)}-${fixed(matchedOverLr.upper, 3)}`);
    const deep = simulated.overall["deep-koa"]!;
    expect(prose(text)).toContain(`Calibration: O/E ${range(deep.observedExpected, 2)}, slope ${range(deep.calibration!.slope, 2)}: **acceptable**`);
    expect(simulated.targets.calibration.acceptable).toBe(true);
  });

  it("give the second fresh cohort's (seed 2002) headline figures, with their intervals", () => {
    const text = prose(section("Metrics"));
    const deep = unseen.overall["deep-koa"]!;
    expect(unseen.cohort.directory).toBe("simulated: --patients 50000 --seed 2002");
    expect(text).toContain(
      `deep-koa AUROC ${range(deep.auroc, 3)} there, O/E ${range(deep.observedExpected, 2)}, slope ${range(deep.calibration!.slope, 2)}`,
    );
    expect(text).toContain(`${unseen.cohort.indexDates.toLocaleString("en-US")} index dates, ${unseen.cohort.cases} cases`);
  });

  it("name the one command that regenerates each committed report, and package.json has it", () => {
    const scripts = JSON.parse(readFileSync("package.json", "utf8")).scripts as Record<string, string>;
    const text = prose(section("Where the reports live"));
    for (const command of ["evaluate:seed2002", "evaluate:synthea"]) {
      expect(text).toContain(`npm run ${command}`);
      expect(scripts[command], command).toBeDefined();
    }
    expect(text).toContain("SYNTHEA_100");
  });

  it("give the Synthea report's figures", () => {
    const text = prose(section("Metrics"));
    const auroc = (model: string) => range(synthea.overall[model]!.auroc, 3);
    expect(text).toContain(`deep-koa AUROC ${auroc("deep-koa")}, age/sex baseline ${auroc("baseline-age-sex-lr")}, aggregated LR ${auroc("baseline-aggregated-lr")}`);
    const deep = synthea.overall["deep-koa"]!;
    expect(text).toContain(`O/E ${fixed(deep.observedExpected!.estimate, 2)} (95% CI ${fixed(deep.observedExpected!.lower, 2)}-${fixed(deep.observedExpected!.upper, 2)})`);
    expect(text).toContain(`slope ${fixed(deep.calibration!.slope.estimate, 2)} (${fixed(deep.calibration!.slope.lower, 2)} to ${fixed(deep.calibration!.slope.upper, 2)})`);
    const bmi = synthea.bmi.auroc["deep-koa"]!;
    expect(text).toContain(`AUROC is ${range(bmi.withBmi, 3)} on rows with a BMI and ${range(bmi.withoutBmi, 3)} on rows without`);
    // The patients' design effects behind the calibration intervals, as the "Intervals" paragraph gives them.
    expect(text).toContain(
      `design effects ${fixed(deep.observedExpected!.designEffect, 2)} (O/E) and ${fixed(deep.calibration!.slope.designEffect, 2)} (slope)`,
    );
  });

  it("give the report's subgroup AUROCs", () => {
    const text = section("Subgroups");
    for (const group of simulated.subgroups) {
      const name = group.name.replace(/^(sex|age): /, "");
      const m = group.metrics;
      expect(row(text, name), group.name).toEqual([
        group.rows.toLocaleString("en-US"),
        String(group.cases),
        range(m["deep-koa"]!.auroc, 3),
        ...["baseline-aggregated-lr", "baseline-age-sex-lr", ORACLE].map((model) => fixed(m[model]!.auroc?.estimate, 3)),
        range(m["deep-koa"]!.observedExpected, 2),
        range(m["deep-koa"]!.calibration?.slope ?? null, 2),
      ]);
    }
    // The prose's over-prediction in women and at 75 and over, with the intervals that reach below 0.8.
    const oe = (name: string) => simulated.subgroups.find((g) => g.name === name)!.metrics["deep-koa"]!.observedExpected!;
    const [women, oldest] = [oe("sex: female"), oe("age: 75+")];
    expect(prose(text)).toContain(`in women (O/E ${fixed(women.estimate, 2)}, ${fixed(women.lower, 2)}-${fixed(women.upper, 2)})`);
    expect(prose(text)).toContain(`at 75 and over (${fixed(oldest.estimate, 2)}, ${fixed(oldest.lower, 2)}-${fixed(oldest.upper, 2)})`);
    // "every subgroup's O/E is within 0.8-1.25 and its slope within 0.8-1.2", by the report's own ranges.
    const { ranges } = simulated.targets.calibration;
    for (const group of simulated.subgroups) {
      const m = group.metrics["deep-koa"]!;
      expect(m.observedExpected!.estimate, group.name).toBeGreaterThanOrEqual(ranges.min);
      expect(m.observedExpected!.estimate, group.name).toBeLessThanOrEqual(ranges.max);
      expect(m.calibration!.slope.estimate, group.name).toBeGreaterThanOrEqual(ranges.slope.min);
      expect(m.calibration!.slope.estimate, group.name).toBeLessThanOrEqual(ranges.slope.max);
    }
    const below = simulated.subgroups.filter((g) => g.metrics["deep-koa"]!.observedExpected!.lower < 0.8).length;
    expect(prose(text)).toContain(`(${["no", "one", "two", "three", "four", "five", "six"][below]} start below 0.8;`);
  });

  it("give the tiers' PPV as a multiple of the base rate", () => {
    const moderate = simulated.overall["deep-koa"]!.tierThresholds.find((t) => t.tier === "moderate")!.metrics;
    const times = (moderate.ppv! / simulated.cohort.prevalence).toFixed(1);
    expect(prose(section("Risk tiers"))).toContain(`PPV ${pct1(moderate.ppv)} (${times} times the ${pct2(simulated.cohort.prevalence)} base rate)`);
  });

  it("give the Synthea report's index dates, scored rows and patients", () => {
    const c = synthea.cohort;
    expect(prose(section("Metrics"))).toContain(
      `${c.indexDates.toLocaleString("en-US")} index dates, of which the ${c.scoredRows.toLocaleString("en-US")} of ${c.scoredPatients} patients aged 18 or more were scored (${c.excluded["under_min_age"]} fell before`,
    );
  });

  it("give the high-risk bands table of the committed output of high-risk-bands.ts, for the shipped model", () => {
    const bands = JSON.parse(readFileSync("models/evaluation/reports/high-risk-bands-seed11.json", "utf8"));
    const props = metadata("deep-koa");
    expect(bands.model).toEqual({ name: "deep-koa", version: props["model_version"], trainedAt: props["trained_at"] });
    const text = section("Calibration: how it is judged");
    expect(prose(text)).toContain(`seed 11; ${bands.cohort.rows.toLocaleString("en-US")} rows`);
    for (const band of bands.bands) {
      const name = band.to === null ? `${band.from * 100}% and over` : `${band.from * 100}-${band.to * 100}%`;
      expect(row(text, name), name).toEqual([String(band.rows), String(band.cases), pct1(band.meanPredicted), pct1(band.observed), pct1(band.meanTrueRisk)]);
    }
  });
});
