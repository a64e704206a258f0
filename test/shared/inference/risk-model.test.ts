import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FEATURE_SPEC_VERSION } from "../../../shared/features/spec.ts";
import { FeatureSpecMismatchError, ModelMetadataError } from "../../../shared/inference/model-info.ts";
import { FeatureInputError, packBatch } from "../../../shared/inference/pack-batch.ts";
import { type RiskModel, loadRiskModel } from "../../../shared/inference/risk-model.ts";
import { committedModel, withMetadata } from "./onnx-bytes.ts";
import { RUNTIMES, randomRows } from "./fixtures.ts";

const MODEL_FILES = ["deep-koa.onnx", "baseline-aggregated-lr.onnx", "baseline-age-sex-lr.onnx"];

describe("loadRiskModel", () => {
  const models: RiskModel[] = [];
  afterAll(async () => {
    for (const m of models) await m.release();
  });

  it.each(MODEL_FILES)("%s gives the same outputs in onnxruntime-node and onnxruntime-web (1e-5)", async (file) => {
    const bytes = committedModel(file);
    const node = await loadRiskModel(RUNTIMES.node, bytes);
    const web = await loadRiskModel(RUNTIMES.web, bytes);
    models.push(node, web);
    expect(node.info.specVersion).toBe(FEATURE_SPEC_VERSION);
    const rows = randomRows(40, 7);
    const [a, b] = [await node.predict(rows), await web.predict(rows)];
    expect(a).toHaveLength(40);
    for (let i = 0; i < a.length; i++) expect(Math.abs((a[i] as number) - (b[i] as number))).toBeLessThan(1e-5);
    // Different inputs must give different outputs, or the comparison above proves nothing.
    expect(new Set(a).size).toBeGreaterThan(1);
  });

  it("refuses a model built for another feature spec with both versions in the message", async () => {
    const other = withMetadata(committedModel(), "feature_spec_version", "koa-features/0+valuesets/old");
    for (const ort of Object.values(RUNTIMES)) {
      const load = loadRiskModel(ort, other);
      await expect(load).rejects.toThrow(FeatureSpecMismatchError);
      await expect(loadRiskModel(ort, other)).rejects.toThrow(
        `"koa-features/0+valuesets/old" but this code builds feature spec "${FEATURE_SPEC_VERSION}"`,
      );
    }
  });

  it("refuses a model without version metadata and a file that is not a model", async () => {
    await expect(loadRiskModel(RUNTIMES.node, withMetadata(committedModel(), "feature_spec_version", ""))).rejects.toThrow(
      ModelMetadataError,
    );
    await expect(loadRiskModel(RUNTIMES.node, new TextEncoder().encode("not a model"))).rejects.toThrow();
  });

  describe("predict", () => {
    let model: RiskModel;
    let small: RiskModel;
    beforeAll(async () => {
      model = await loadRiskModel(RUNTIMES.node, committedModel());
      small = await loadRiskModel(RUNTIMES.node, committedModel(), { maxBatchSize: 3 });
      models.push(model, small);
    });

    it("splits into batches without changing any output", async () => {
      const rows = randomRows(10, 11);
      const whole = await model.predict(rows);
      const split = await small.predict(rows);
      for (let i = 0; i < rows.length; i++) expect(split[i]).toBeCloseTo(whole[i] as number, 6);
      const single = await model.predict([rows[4]!]);
      expect(single[0]).toBeCloseTo(whole[4] as number, 6);
    });

    it("serves concurrent callers with the right rows", async () => {
      const a = randomRows(5, 1);
      const b = randomRows(5, 2);
      const [pa, pb] = await Promise.all([model.predict(a), model.predict(b)]);
      expect(pa).toEqual(await model.predict(a));
      expect(pb).toEqual(await model.predict(b));
    });

    it("predicts a packed batch as it predicts its rows, in chunks too, and checks its shape", async () => {
      const rows = randomRows(7, 11);
      const packed = packBatch(rows);
      const whole = await model.predict(rows);
      expect(await model.predictPacked(packed)).toEqual(whole);
      const split = await small.predictPacked(packed);
      for (let i = 0; i < rows.length; i++) expect(split[i]).toBeCloseTo(whole[i] as number, 6);
      await expect(model.predictPacked({ ...packed, size: 8 })).rejects.toThrow(FeatureInputError);
    });

    it("returns an empty array for an empty batch", async () => {
      expect(await model.predict([])).toHaveLength(0);
    });

    it("rejects malformed rows with the row number", async () => {
      const rows = randomRows(3, 5);
      const nan = rows.map((r) => ({ ...r, static: r.static.slice() }));
      nan[2]!.static[0] = Number.NaN;
      await expect(model.predict(nan)).rejects.toThrow("row 2: static[0] is not a finite number");
      const short = [{ ...rows[0]!, sequence: new Float32Array(5) }];
      await expect(model.predict(short)).rejects.toThrow(FeatureInputError);
      const stale = [{ ...rows[0]!, specVersion: "koa-features/0" }];
      await expect(model.predict(stale)).rejects.toThrow(/row 0: features built for spec "koa-features\/0"/);
    });

    it("rejects a non-positive batch size", async () => {
      await expect(loadRiskModel(RUNTIMES.node, committedModel(), { maxBatchSize: 0 })).rejects.toThrow(RangeError);
    });
  });
});
