import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openNpy } from "../../../models/evaluation/npy-reader.ts";
import { loadRiskModel } from "../../../shared/inference/index.ts";
import { FEATURE_SPEC_VERSION } from "../../../shared/features/spec.ts";
import { type TinyRow, writeTinyTensors } from "./tiny-tensors.ts";

const run = promisify(execFile);
const SCRIPT = path.resolve("models/evaluation/score-tensors.ts");
const TSX = path.resolve("node_modules/.bin/tsx");
const MODEL_DIR = path.resolve("models/deep-koa");

const ROWS: TinyRow[] = [
  { label: 1, trueRisk1y: 0.5, events: [["knee_pain", 150, 2 / 7], ["nsaid_oral", 151, 0.25]], static: [1.2, 1, 0, 0.8, 0, 1] },
  { label: 0, trueRisk1y: 0.001, static: [-1, 0, 1, 0, 1, 0.5] },
  { label: 0, trueRisk1y: 0.01, events: [["paracetamol", 20, 0.25]], static: [0.5, 1, 0, -0.3, 0, 1] },
];

describe("score-tensors.ts", () => {
  let dir: string;
  let prefix: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "score-tensors-"));
    prefix = path.join(dir, "tiny");
    writeTinyTensors(prefix, ROWS);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("writes the same risks as the shared inference code, one file per model", async () => {
    const { stdout } = await run(TSX, [SCRIPT, prefix]);
    expect(stdout).toContain("3 rows scored by deep-koa, baseline-aggregated-lr, baseline-age-sex-lr");
    const sequence = openNpy(`${prefix}.sequence.npy`);
    const statics = openNpy(`${prefix}.static.npy`);
    const inputs = ROWS.map((_, r) => ({ specVersion: FEATURE_SPEC_VERSION, sequence: sequence.readRows(r, 1), static: statics.readRows(r, 1) }));
    sequence.close();
    statics.close();
    for (const name of ["deep-koa", "baseline-aggregated-lr", "baseline-age-sex-lr"]) {
      const model = await loadRiskModel(ort, new Uint8Array(await readFile(path.join(MODEL_DIR, `${name}.onnx`))));
      const expected = [...(await model.predict(inputs))];
      await model.release();
      const scores = openNpy(`${prefix}.scores.${name}.npy`);
      expect([...scores.readRows(0, scores.rows)]).toEqual(expected);
      scores.close();
    }
  });

  it("refuses tensors built for another feature spec and leaves no half-written scores", async () => {
    const meta = JSON.parse(await readFile(`${prefix}.meta.json`, "utf8")) as Record<string, unknown>;
    const other = path.join(dir, "other");
    writeTinyTensors(other, ROWS);
    await writeFile(`${other}.meta.json`, JSON.stringify({ ...meta, specVersion: "koa-features/0+old" }));
    await expect(run(TSX, [SCRIPT, other])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('features built for spec "koa-features/0+old"') });
    expect(existsSync(`${other}.scores.deep-koa.npy`)).toBe(false);
  });
});
