/** PyTorch vs ONNX: the committed models, run through the shared inference code in both
 * runtimes, reproduce the PyTorch outputs recorded at export (parity-fixture.json). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FEATURE_SPEC_VERSION } from "../../../shared/features/spec.ts";
import { loadRiskModel } from "../../../shared/inference/risk-model.ts";
import { MODEL_DIR, committedModel } from "./onnx-bytes.ts";
import { RUNTIMES } from "./fixtures.ts";

interface ParityFixture {
  feature_spec_version: string;
  tolerance: number;
  inputs: { sequence: number[][]; static: number[][] };
  expected: Record<string, number[]>;
}

const fixture = JSON.parse(readFileSync(MODEL_DIR + "parity-fixture.json", "utf8")) as ParityFixture;
const rows = fixture.inputs.sequence.map((sequence, i) => ({
  specVersion: fixture.feature_spec_version,
  sequence: Float32Array.from(sequence),
  static: Float32Array.from(fixture.inputs.static[i] ?? []),
}));

describe("PyTorch/ONNX parity (parity-fixture.json)", () => {
  it("was written for this feature spec, with a tolerance no looser than 1e-5", () => {
    expect(fixture.feature_spec_version).toBe(FEATURE_SPEC_VERSION);
    expect(fixture.tolerance).toBeLessThanOrEqual(1e-5);
    expect(Object.keys(fixture.expected).sort()).toEqual(["baseline-age-sex-lr.onnx", "baseline-aggregated-lr.onnx", "deep-koa.onnx"]);
  });

  for (const [file, expected] of Object.entries(fixture.expected)) {
    for (const [runtime, ort] of Object.entries(RUNTIMES)) {
      it(`${file} in onnxruntime-${runtime} matches PyTorch to 1e-5`, async () => {
        const model = await loadRiskModel(ort, committedModel(file));
        const actual = await model.predict(rows);
        await model.release();
        expect(actual).toHaveLength(expected.length);
        expected.forEach((p, i) => expect(Math.abs((actual[i] as number) - p)).toBeLessThan(1e-5));
      });
    }
  }
});
