import { mkdtemp, readFile, rm, unlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TruthRecord } from "../../../models/cohort/truth.ts";
import { collectPredictions } from "../../../models/evaluation/collect-predictions.ts";
import { ORACLE } from "../../../models/evaluation/prediction-table.ts";
import { simulateCohortTo } from "../../../models/evaluation/simulate-cohort.ts";
import { type RiskModel, loadRiskModel } from "../../../shared/inference/index.ts";
import { committedModel } from "../../shared/inference/onnx-bytes.ts";

describe("collectPredictions on a small simulated cohort", () => {
  let dir: string;
  let models: RiskModel[];
  let truth: TruthRecord[];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "collect-test-"));
    await simulateCohortTo(dir, 120, 77);
    truth = (await readFile(path.join(dir, "truth.ndjson"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as TruthRecord);
    models = [await loadRiskModel(ort, committedModel()), await loadRiskModel(ort, committedModel("baseline-age-sex-lr.onnx"))];
  });
  afterAll(async () => {
    await Promise.all(models.map((m) => m.release()));
    await rm(dir, { recursive: true, force: true });
  });

  it("scores every eligible truth index date with every model, with truth labels and the oracle", async () => {
    const result = await collectPredictions(dir, models, { batchSize: 16 });
    const dates = truth.flatMap((t) => t.indexDates);
    expect(result.labelSource).toBe("truth.ndjson");
    expect(result.patients).toBe(120);
    expect(result.indexDates).toBe(dates.length);
    const excluded = Object.values(result.excluded).reduce((s, n) => s + n, 0);
    expect(result.table.labels.length).toBeGreaterThan(0);
    expect(result.table.labels.length).toBeLessThanOrEqual(dates.length - excluded);
    expect(Object.keys(result.table.scores)).toEqual(["deep-koa", "baseline-age-sex-lr", ORACLE]);
    // Every oracle value and label is one of the truth file's, paired as in the file.
    const pairs = new Set(dates.map((d) => `${d.trueRisk1y}|${d.outcome1y ? 1 : 0}`));
    result.table.labels.forEach((y, i) => expect(pairs.has(`${result.table.scores[ORACLE]![i]}|${y}`)).toBe(true));
    for (const name of ["deep-koa", "baseline-age-sex-lr"]) {
      expect(result.table.scores[name]).toHaveLength(result.table.labels.length);
      expect(result.table.scores[name]!.every((p) => p > 0 && p < 1)).toBe(true);
    }
  });

  it("gives the same predictions whatever the batch size", async () => {
    const a = await collectPredictions(dir, models, { batchSize: 7 });
    const b = await collectPredictions(dir, models, { batchSize: 1000 });
    expect(a.table.scores["deep-koa"]).toEqual(b.table.scores["deep-koa"]);
  });

  it("falls back to the index-date policy without truth.ndjson, with no oracle", async () => {
    await unlink(path.join(dir, "truth.ndjson"));
    const result = await collectPredictions(dir, models, { maxPatients: 50 });
    expect(result.labelSource).toBe("index-date policy");
    expect(result.patients).toBe(50);
    expect(Object.keys(result.table.scores)).toEqual(["deep-koa", "baseline-age-sex-lr"]);
    expect(result.table.labels.length).toBeGreaterThan(0);
  });
});
