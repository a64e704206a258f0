/**
 * Runs the parity fixture written by train.py through onnxruntime-node and compares every
 * model's output with PyTorch's (train.sh runs it after export; the smoke test reuses it).
 *
 * usage: npx tsx models/training/check-parity.ts MODEL_DIR
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { isMainModule } from "../features/cli-args.ts";

/** The shape of parity-fixture.json (see train.py write_fixture). */
export interface ParityFixture {
  feature_spec_version: string;
  tolerance: number;
  rows: number;
  channels: number;
  weeks: number;
  static_count: number;
  inputs: { sequence: number[][]; static: number[][] };
  /** Expected `risk` per model file name. */
  expected: Record<string, number[]>;
}

export interface ParityResult {
  model: string;
  actual: number[];
  maxAbsDifference: number;
}

export async function readFixture(modelDir: string): Promise<ParityFixture> {
  return JSON.parse(await readFile(path.join(modelDir, "parity-fixture.json"), "utf8")) as ParityFixture;
}

/** Runs each model named in the fixture on its inputs with onnxruntime-node. */
export async function checkParity(modelDir: string): Promise<ParityResult[]> {
  const fixture = await readFixture(modelDir);
  const sequence = new ort.Tensor("float32", Float32Array.from(fixture.inputs.sequence.flat()), [
    fixture.rows,
    fixture.channels,
    fixture.weeks,
  ]);
  const staticInput = new ort.Tensor("float32", Float32Array.from(fixture.inputs.static.flat()), [
    fixture.rows,
    fixture.static_count,
  ]);
  const results: ParityResult[] = [];
  for (const [model, expected] of Object.entries(fixture.expected)) {
    const session = await ort.InferenceSession.create(path.join(modelDir, model));
    const output = await session.run({ sequence, static: staticInput });
    const actual = Array.from(output["risk"]!.data as Float32Array);
    const maxAbsDifference = Math.max(...actual.map((value, row) => Math.abs(value - expected[row]!)));
    results.push({ model, actual, maxAbsDifference });
    await session.release();
  }
  return results;
}

async function main(): Promise<void> {
  const modelDir = process.argv[2];
  if (!modelDir) {
    console.error("usage: npx tsx models/training/check-parity.ts MODEL_DIR");
    process.exit(2);
  }
  const { tolerance } = await readFixture(modelDir);
  let failed = false;
  for (const result of await checkParity(modelDir)) {
    const ok = result.maxAbsDifference <= tolerance;
    failed ||= !ok;
    console.log(`${ok ? "ok  " : "FAIL"} ${result.model}: max |onnxruntime-node - PyTorch| = ${result.maxAbsDifference.toExponential(2)}`);
  }
  if (failed) process.exit(1);
}

if (isMainModule(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`check-parity: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
