/**
 * npm run bench:model [-- --model FILE]: microseconds per patient for batched inference (batch
 * 1, 64, 256) in onnxruntime-node and onnxruntime-web (WASM, run in Node, one thread), and the
 * whole path from a FHIR record of about 500 resources to risk plus explanation (assessRisk).
 * Prints medians; no targets are asserted here.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import * as ortNode from "onnxruntime-node";
import * as ortWeb from "onnxruntime-web";
import { assessRisk } from "../shared/assess-risk.ts";
import { buildFeatures } from "../shared/features/build-features.ts";
import { type OrtRuntime, type RiskModel, loadRiskModel } from "../shared/inference/index.ts";
import { realisticRecord } from "../test/support/realistic-record.ts";
import { benchArgs } from "./bench-args.ts";

const INDEX_DATE = "2024-03-15";
const BATCH_SIZES = [1, 64, 256];
const RECORD_SIZE = 500;
/** Roughly this many patients are scored per batch size, so each figure takes similar time. */
const PATIENTS_PER_MEASURE = 20_000;

const { values } = benchArgs(import.meta.url, { command: "npm run bench:model --", options: { model: { value: "FILE" } } });
const modelFile = values.model ?? "models/deep-koa/deep-koa.onnx";
ortWeb.env.wasm.numThreads = 1;
const runtimes: [string, OrtRuntime][] = [
  ["onnxruntime-node", ortNode],
  ["onnxruntime-web (wasm)", ortWeb],
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function timeCalls(rounds: number, call: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < Math.min(5, rounds); i++) await call();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await call();
    times.push(performance.now() - start);
  }
  return times;
}

const records = Array.from({ length: 256 }, (_, seed) => realisticRecord(RECORD_SIZE, INDEX_DATE, seed + 1));
const features = records.map((r) => buildFeatures(r, INDEX_DATE));
const eligibleRecords = records.filter((_, i) => features[i]!.eligibility.eligible);

console.log(`model ${modelFile} (Node ${process.version}); medians`);
for (const [label, ort] of runtimes) {
  const model: RiskModel = await loadRiskModel(ort, new Uint8Array(readFileSync(modelFile)));
  const parts: string[] = [];
  for (const batch of BATCH_SIZES) {
    const rows = features.slice(0, batch);
    const times = await timeCalls(Math.max(20, Math.round(PATIENTS_PER_MEASURE / batch / 4)), () => model.predict(rows));
    parts.push(`batch ${batch}: ${((median(times) * 1000) / batch).toFixed(1)} us/patient`);
  }
  console.log(`${label.padEnd(24)} ${parts.join("   ")}`);
  let next = 0;
  const whole = await timeCalls(200, () => assessRisk(model, eligibleRecords[next++ % eligibleRecords.length]!, INDEX_DATE));
  const withoutExplanation = await timeCalls(200, () =>
    assessRisk(model, eligibleRecords[next++ % eligibleRecords.length]!, INDEX_DATE, { explain: false }),
  );
  console.log(
    `${"".padEnd(24)} FHIR record (${RECORD_SIZE} resources) -> risk + explanation: ${median(whole).toFixed(2)} ms ` +
      `(p90 ${[...whole].sort((a, b) => a - b)[Math.floor(whole.length * 0.9)]!.toFixed(2)} ms); risk only: ${median(withoutExplanation).toFixed(2)} ms`,
  );
  await model.release();
}
