/**
 * Training smoke tests: the pipeline (models/training/) runs end to end on tiny data into a
 * temporary directory and produces ONNX files that honour the inference contract. One run
 * starts from tensors in the features format, one from a simulated cohort (`npm run train`).
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
const MODEL_NAMES = ["baseline-age-sex-lr", "baseline-aggregated-lr", "deep-koa"];
const SLOW = 240_000;

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

/** Runs train.sh with the given options and fails with its log when it fails. */
async function trainInto(env: Record<string, string>): Promise<string> {
  const result = await runCommand("bash", [path.join(TRAINING, "train.sh")], { EVALUATE: "0", ...env });
  const log = result.stdout + result.stderr;
  expect(result.code, log).toBe(0);
  return log;
}

/** metadata_props of each file, read with the onnx Python package (one process for all). */
async function onnxMetadata(files: string[]): Promise<Record<string, Record<string, string>>> {
  const { stdout } = await run(PYTHON, [path.join(TRAINING, "export_onnx.py"), ...files]);
  return JSON.parse(stdout) as Record<string, Record<string, string>>;
}

/** Writes random tensors in the `npm run features` format (layout from shared/features/spec.ts). */
async function writeFakeFeatures(dir: string, rows: number): Promise<string> {
  const specFile = path.join(dir, "spec.json");
  await writeFile(specFile, JSON.stringify(featureSpecJson()));
  const prefix = path.join(dir, "features");
  await run(PYTHON, [path.join(TRAINING, "fake_features.py"), "--spec", specFile, "--out", prefix, "--rows", String(rows)]);
  return prefix;
}

/** The contract every exported model keeps: metadata, inputs, output, size, parity with PyTorch. */
async function expectContractModels(out: string, trainingData: string): Promise<void> {
  const fixture = await readFixture(out);
  expect([fixture.channels, fixture.weeks, fixture.static_count]).toEqual([CHANNEL_COUNT, WEEKS, STATIC_COUNT]);
  expect(Object.keys(fixture.expected).sort()).toEqual(MODEL_NAMES.map((name) => `${name}.onnx`));
  const files = MODEL_NAMES.map((name) => path.join(out, `${name}.onnx`));
  const metadata = await onnxMetadata(files);
  for (const [index, name] of MODEL_NAMES.entries()) {
    const file = files[index]!;
    expect((await stat(file)).size).toBeLessThan(1_000_000);
    const meta = metadata[file]!;
    expect(meta["feature_spec_version"]).toBe(FEATURE_SPEC_VERSION);
    expect(meta["model_name"]).toBe(name);
    expect(meta["training_data"]).toContain(trainingData);
    expect(Number.isNaN(Date.parse(meta["trained_at"]!))).toBe(false);
    expect(JSON.parse(meta["channels"]!)).toEqual(featureSpecJson().channels.map((c) => c.id));
    expect(JSON.parse(meta["static_features"]!)).toEqual(featureSpecJson().staticFeatures);
    const metrics = JSON.parse(meta["metrics"]!) as Record<string, { rows: number; brier: number }>;
    expect(metrics["test"]!.rows).toBeGreaterThan(0);
    expect(metrics["validation"]!.brier).toBeGreaterThan(0);
    const session = await ort.InferenceSession.create(file);
    expect([session.inputNames, session.outputNames]).toEqual([["sequence", "static"], ["risk"]]);
    const single = await session.run({
      sequence: new ort.Tensor("float32", Float32Array.from(fixture.inputs.sequence[0]!), [1, CHANNEL_COUNT, WEEKS]),
      static: new ort.Tensor("float32", Float32Array.from(fixture.inputs.static[0]!), [1, STATIC_COUNT]),
    });
    expect(single["risk"]!.dims).toEqual([1]);
    expect(single["risk"]!.data[0]).toBeCloseTo(fixture.expected[`${name}.onnx`]![0]!, 5);
    await session.release();
  }
  for (const result of await checkParity(out)) {
    expect(result.maxAbsDifference, result.model).toBeLessThanOrEqual(1e-5);
    for (const risk of result.actual) {
      expect(risk).toBeGreaterThan(0);
      expect(risk).toBeLessThan(1);
    }
  }
}

async function readReport(out: string) {
  return JSON.parse(await readFile(path.join(out, "training-report.json"), "utf8"));
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "patella-train-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("train.sh on existing tensors (FEATURES)", () => {
  let out: string;
  let log: string;
  beforeAll(async () => {
    out = path.join(dir, "from-tensors");
    const prefix = await writeFakeFeatures(dir, 800);
    log = await trainInto({ FEATURES: prefix, DATA_DESCRIPTION: "smoke test tensors", OUT: out, WORK: path.join(dir, "work"), EPOCHS: "2", MAX_STEPS: "5" });
  }, SLOW);

  it("exports three models that keep the ONNX contract and match PyTorch", async () => {
    await expectContractModels(out, "smoke test tensors");
  }, SLOW);

  it("writes a training report with split sizes and per-epoch losses", async () => {
    const report = await readReport(out);
    const { train, validation, test } = report.split;
    expect(train.rows + validation.rows + test.rows).toBe(800);
    expect(Object.keys(report.models).sort()).toEqual(MODEL_NAMES);
    expect(report.models["deep-koa"].validation_loss).toHaveLength(report.models["deep-koa"].epochs_run);
    expect(log).toMatch(/parity: onnxruntime-node vs PyTorch/);
  });
});

describe("npm run train smoke mode (simulated cohort)", () => {
  let out: string;
  beforeAll(async () => {
    out = path.join(dir, "smoke");
    // 2000 patients (seed 3) is the smallest cohort whose three splits all hold a positive.
    await trainInto({ PATIENTS: "2000", SEED: "3", EPOCHS: "1", MAX_STEPS: "5", OUT: out, WORK: path.join(dir, "smoke-work") });
  }, SLOW);

  it("simulates, builds features, trains and exports models that keep the contract", async () => {
    await expectContractModels(out, "synthetic cohort (npm run cohort -- --patients 2000 --seed 3)");
  }, SLOW);

  it("reports the oracle (the simulator's true risk) beside the models", async () => {
    const report = await readReport(out);
    expect(report.oracle.test.auroc).toBeGreaterThan(0.5);
    expect(report.split.train.positive_rate).toBeGreaterThan(0);
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
