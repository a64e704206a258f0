import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, describe, expect, it } from "vitest";
import { applyRecalibration, type Recalibration } from "../../../models/recalibration/recalibration-fit.ts";
import { recalibrationMetadata, writeRecalibratedModel } from "../../../models/recalibration/write-model.ts";
import { loadRiskModel, readOnnxMetadata } from "../../../shared/inference/index.ts";
import { randomRows } from "../../shared/inference/fixtures.ts";
import { MODEL_DIR, committedModel } from "../../shared/inference/onnx-bytes.ts";

describe("writeRecalibratedModel", () => {
  const dir = mkdtempSync(join(tmpdir(), "patella-recal-model-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const source = join(MODEL_DIR, "deep-koa.onnx");
  const rows = randomRows(64, 5);

  const cases: Recalibration[] = [
    { method: "logistic", intercept: 1.3, slope: 0.7 },
    { method: "intercept", intercept: -0.8, slope: 1 },
    { method: "isotonic", thresholds: [0, 0.002, 0.005, 0.02], values: [0.001, 0.004, 0.01, 0.08] },
  ];
  for (const r of cases) {
    it(`${r.method}: the written model gives the recalibrated network risk and says how it was made`, async () => {
      const original = await loadRiskModel(ort, committedModel());
      const target = join(dir, `${r.method}.onnx`);
      const at = new Date("2026-11-29T12:00:00Z");
      const metadata = recalibrationMetadata(original.info, committedModel(), r, { cohort: "site-a", fit: { rows: 10, patients: 5, cases: 2 }, at });
      writeRecalibratedModel(source, target, r, metadata);
      const written = await loadRiskModel(ort, new Uint8Array(readFileSync(target)));
      const before = await original.predict(rows);
      const after = await written.predict(rows);
      before.forEach((p, i) => expect(after[i]).toBeCloseTo(applyRecalibration(r, p), 6));
      expect(written.info.name).toBe(original.info.name);
      expect(written.info.version).toBe(`${original.info.version}+recalibrated.2026-11-29`);
      expect(written.info.channels).toEqual(original.info.channels);
      const props = readOnnxMetadata(new Uint8Array(readFileSync(target)));
      expect(props["recalibrated_at"]).toBe("2026-11-29T12:00:00.000Z");
      expect(JSON.parse(props["recalibration"]!)).toMatchObject({ ...r, fittedOn: { cohort: "site-a", rows: 10, patients: 5, cases: 2 } });
      await Promise.all([original.release(), written.release()]);
    });
  }

  it("leaves a model already at the target as it was, and no partial file, when the script fails", () => {
    const target = join(dir, "earlier.onnx");
    writeFileSync(target, "an earlier model");
    const notOnnx = join(dir, "not-a-model.onnx");
    writeFileSync(notOnnx, "not ONNX");
    const r: Recalibration = { method: "logistic", intercept: 1, slope: 1 };
    expect(() => writeRecalibratedModel(notOnnx, target, r, {})).toThrow("append_calibration.py failed");
    expect(readFileSync(target, "utf8")).toBe("an earlier model");
    expect(existsSync(`${target}.partial`)).toBe(false);
  });
});
