/**
 * Training smoke tests: the Python pipeline (models/training/) runs end to end on a tiny data set
 * into a temporary directory and produces ONNX files that honour the inference contract.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkParity, readFixture } from "../../../models/training/check-parity.ts";
import { featureSpecJson } from "../../../models/training/print-spec.ts";
import { CHANNEL_COUNT, FEATURE_SPEC_VERSION, STATIC_COUNT, WEEKS } from "../../../shared/features/spec.ts";

const run = promisify(execFile);
const PYTHON = "/usr/bin/python3";
const TRAINING = path.resolve("models/training");
const MODEL_FILES = ["deep-koa.onnx", "baseline-aggregated-lr.onnx", "baseline-age-sex-lr.onnx"];
const SLOW = 180_000;

/** Runs a command, returning its exit code and output instead of throwing on failure. */
async function runCommand(file: string, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(file, args, { env: { ...process.env, ...env }, maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

async function onnxMetadata(file: string): Promise<Record<string, string>> {
  const { stdout } = await run(PYTHON, [path.join(TRAINING, "export_onnx.py"), file]);
  return JSON.parse(stdout) as Record<string, string>;
}

/** Writes random tensors in the `npm run features` format (layout from shared/features/spec.ts). */
async function writeFakeFeatures(dir: string, rows: number): Promise<string> {
  const specFile = path.join(dir, "spec.json");
  await writeFile(specFile, JSON.stringify(featureSpecJson()));
  const prefix = path.join(dir, "features");
  await run(PYTHON, [path.join(TRAINING, "fake_features.py"), "--spec", specFile, "--out", prefix, "--rows", String(rows)]);
  return prefix;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "patella-train-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("train.sh on tensors in the features format", () => {
  let out: string;
  let log: string;
  beforeAll(async () => {
    const prefix = await writeFakeFeatures(dir, 800);
    out = path.join(dir, "out");
    const result = await runCommand("bash", [path.join(TRAINING, "train.sh")], {
      FEATURES: prefix,
      DATA_DESCRIPTION: "smoke test tensors",
      OUT: out,
      WORK: path.join(dir, "work"),
      EPOCHS: "2",
      MAX_STEPS: "5",
      EVALUATE: "0",
    });
    log = result.stdout + result.stderr;
    expect(result.code, log).toBe(0);
  }, SLOW);

  it("exports three small ONNX models with the contract's metadata", async () => {
    for (const file of MODEL_FILES) {
      const modelPath = path.join(out, file);
      expect((await stat(modelPath)).size).toBeLessThan(1_000_000);
      const meta = await onnxMetadata(modelPath);
      expect(meta["feature_spec_version"]).toBe(FEATURE_SPEC_VERSION);
      expect(meta["model_name"]).toBe(file.replace(/\.onnx$/, ""));
      expect(meta["training_data"]).toContain("smoke test tensors");
      expect(Number.isNaN(Date.parse(meta["trained_at"]!))).toBe(false);
      expect(JSON.parse(meta["channels"]!)).toEqual(featureSpecJson().channels);
      expect(JSON.parse(meta["static_features"]!)).toEqual(featureSpecJson().static_features);
      const metrics = JSON.parse(meta["metrics"]!) as Record<string, { rows: number; brier: number }>;
      expect(metrics["test"]!.rows).toBeGreaterThan(0);
      expect(metrics["validation"]!.brier).toBeGreaterThan(0);
    }
  });

  it("all take sequence and static, give probabilities in (0, 1) for any batch size, matching PyTorch to 1e-5", async () => {
    const fixture = await readFixture(out);
    expect([fixture.channels, fixture.weeks, fixture.static_count]).toEqual([CHANNEL_COUNT, WEEKS, STATIC_COUNT]);
    for (const result of await checkParity(out)) {
      expect(result.maxAbsDifference, result.model).toBeLessThanOrEqual(1e-5);
      for (const risk of result.actual) {
        expect(risk).toBeGreaterThan(0);
        expect(risk).toBeLessThan(1);
      }
    }
    for (const file of MODEL_FILES) {
      const model = await ort.InferenceSession.create(path.join(out, file));
      expect([model.inputNames, model.outputNames], file).toEqual([["sequence", "static"], ["risk"]]);
      await model.release();
    }
    const session = await ort.InferenceSession.create(path.join(out, "deep-koa.onnx"));
    const single = await session.run({
      sequence: new ort.Tensor("float32", Float32Array.from(fixture.inputs.sequence[0]!), [1, CHANNEL_COUNT, WEEKS]),
      static: new ort.Tensor("float32", Float32Array.from(fixture.inputs.static[0]!), [1, STATIC_COUNT]),
    });
    expect(single["risk"]!.dims).toEqual([1]);
    expect(single["risk"]!.data[0]).toBeCloseTo(fixture.expected["deep-koa.onnx"]![0]!, 5);
    await session.release();
  });

  it("writes a training report with split sizes and per-model losses", async () => {
    const report = JSON.parse(await readFile(path.join(out, "training-report.json"), "utf8"));
    const { train, validation, test } = report.split;
    expect(train.rows + validation.rows + test.rows).toBe(800);
    expect(Object.keys(report.models).sort()).toEqual(MODEL_FILES.map((f) => f.replace(/\.onnx$/, "")).sort());
    expect(report.models["deep-koa"].validation_loss).toHaveLength(2);
    expect(log).toMatch(/parity: onnxruntime-node vs PyTorch/);
  });
});

describe("train.py input errors", () => {
  it("names the missing file", async () => {
    const result = await runCommand(PYTHON, [path.join(TRAINING, "train.py"), "--features", path.join(dir, "absent"), "--out", path.join(dir, "x")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("absent.meta.json: not found");
  });

  it("names the file and line of a malformed rows.ndjson", async () => {
    const sub = await mkdtemp(path.join(dir, "bad-"));
    const prefix = await writeFakeFeatures(sub, 20);
    const lines = (await readFile(`${prefix}.rows.ndjson`, "utf8")).split("\n");
    lines[2] = "{not json";
    await writeFile(`${prefix}.rows.ndjson`, lines.join("\n"));
    const result = await runCommand(PYTHON, [path.join(TRAINING, "train.py"), "--features", prefix, "--out", path.join(sub, "out")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("features.rows.ndjson: line 3: invalid JSON");
  }, SLOW);
});
