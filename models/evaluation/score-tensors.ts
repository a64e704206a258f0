/**
 * npx tsx models/evaluation/score-tensors.ts PREFIX [MODEL.onnx ...]
 *
 * Scores the feature tensors of `npm run features` (PREFIX.sequence.npy, PREFIX.static.npy,
 * PREFIX.meta.json) with ONNX models through the shared inference code (onnxruntime-node) and
 * writes one PREFIX.scores.<model name>.npy per model (float32, one risk per row, in row order).
 * observable-ceiling.py reads them to compare the models on subsets of rows that the evaluation
 * report does not break out (e.g. rows with a visible prodrome). Default models: the shipped
 * three in models/deep-koa/.
 */
import { readFileSync, rmSync } from "node:fs";
import * as ort from "onnxruntime-node";
import { type ModelInput, type RiskModel, loadRiskModel } from "../../shared/inference/index.ts";
import { NpyWriter } from "../features/npy-writer.ts";
import { BASELINE_FILES } from "./cli-args.ts";
import { openNpy } from "./npy-reader.ts";

const USAGE = "usage: npx tsx models/evaluation/score-tensors.ts PREFIX [MODEL.onnx ...]";
const DEFAULT_MODELS = ["models/deep-koa/deep-koa.onnx", ...BASELINE_FILES.map((f) => `models/deep-koa/${f}`)];
/** Rows read and scored at a time: about 25 MB of sequence, flat memory for any cohort size. */
const BLOCK_ROWS = 1024;

function readSpecVersion(prefix: string): string {
  const file = `${prefix}.meta.json`;
  let meta: unknown;
  try {
    meta = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message} (run npm run features first)`);
  }
  const version = (meta as { specVersion?: unknown }).specVersion;
  if (typeof version !== "string") throw new Error(`${file}: no specVersion`);
  return version;
}

async function main(argv: string[]): Promise<void> {
  const [prefix, ...modelFiles] = argv;
  if (prefix === undefined || prefix.startsWith("-")) throw new Error(USAGE);
  const files = modelFiles.length > 0 ? modelFiles : DEFAULT_MODELS;
  const specVersion = readSpecVersion(prefix);
  const models: RiskModel[] = [];
  for (const file of files) {
    try {
      models.push(await loadRiskModel(ort, new Uint8Array(readFileSync(file)), { maxBatchSize: BLOCK_ROWS }));
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message}`);
    }
  }
  const sequence = openNpy(`${prefix}.sequence.npy`);
  const statics = openNpy(`${prefix}.static.npy`);
  if (sequence.rows !== statics.rows) throw new Error(`${prefix}: ${sequence.rows} sequence rows but ${statics.rows} static rows`);
  const writers = models.map((m) => new NpyWriter(`${prefix}.scores.${m.info.name}.npy`, []));
  let finished = false;
  try {
    for (let start = 0; start < sequence.rows; start += BLOCK_ROWS) {
      const count = Math.min(BLOCK_ROWS, sequence.rows - start);
      const seq = sequence.readRows(start, count);
      const sta = statics.readRows(start, count);
      const rows: ModelInput[] = Array.from({ length: count }, (_, r) => ({
        specVersion,
        sequence: seq.subarray(r * sequence.rowLength, (r + 1) * sequence.rowLength),
        static: sta.subarray(r * statics.rowLength, (r + 1) * statics.rowLength),
      }));
      for (const [i, model] of models.entries()) {
        const risks = await model.predict(rows);
        for (let r = 0; r < count; r++) (writers[i] as NpyWriter).append(risks.subarray(r, r + 1));
      }
    }
    finished = true;
  } finally {
    // A half-written scores file must not look like a complete one.
    for (const w of writers) {
      if (finished) {
        w.close();
      } else {
        w.abandon();
        rmSync(w.path, { force: true });
      }
    }
    sequence.close();
    statics.close();
    await Promise.all(models.map((m) => m.release()));
  }
  console.log(`score-tensors: ${sequence.rows} rows scored by ${models.map((m) => m.info.name).join(", ")} -> ${prefix}.scores.*.npy`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`score-tensors: ${(err as Error).message}`);
  process.exit(1);
});
