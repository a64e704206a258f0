/**
 * A scoring worker thread: loads the model once with onnxruntime-node, then scores the batches
 * the pool sends (score-batch.ts) and answers with the results.
 */
import { readFile } from "node:fs/promises";
import { parentPort, workerData } from "node:worker_threads";
import * as ort from "onnxruntime-node";
import { loadRiskModel } from "../../shared/inference/index.ts";
import type { PatientRecord } from "../types.ts";
import { batchingModel } from "./batching-model.ts";
import { scoreBatch } from "./score-batch.ts";
import type { ScoreSettings } from "./score-settings.ts";
import type { WorkerReply } from "./worker-messages.ts";

const settings = workerData as ScoreSettings;
const port = parentPort!;
const reply = (message: WorkerReply) => port.postMessage(message);

try {
  // One thread per session: the pool runs one worker per core, and onnxruntime's default of a
  // thread per core in every worker would make them compete.
  const singleThreaded = { ...ort, InferenceSession: { create: (bytes: Uint8Array) => ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 }) } };
  const model = batchingModel(await loadRiskModel(singleThreaded, await readFile(settings.modelPath), { maxBatchSize: 2048 }));
  port.on("message", ({ batch, json }: { batch: number; json: string }) => {
    scoreBatch(model, JSON.parse(json) as PatientRecord[], settings).then(
      (results) => reply({ kind: "scored", batch, results }),
      (error: unknown) => reply({ kind: "failed", batch, message: (error as Error).message }),
    );
  });
  reply({ kind: "ready", model: model.info });
} catch (error) {
  reply({ kind: "failed", batch: -1, message: (error as Error).message });
}
