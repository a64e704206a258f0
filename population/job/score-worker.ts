/**
 * A scoring worker thread: loads the model once with onnxruntime-node, then, for each batch the
 * pool sends, parses and assembles the patients sent as NDJSON lines (ndjson-patient-lines.ts,
 * counting what it reads), scores them with the records sent whole (score-batch.ts) and answers
 * with the results (each with what the feature builder skipped and could not map in the record)
 * and the counts.
 */
import { readFile } from "node:fs/promises";
import { parentPort, workerData } from "node:worker_threads";
import * as ort from "onnxruntime-node";
import { loadRiskModel } from "../../shared/inference/index.ts";
import { assemblePatientLines, type LineAssembly } from "../ndjson-patient-lines.ts";
import { countingPolicy } from "../skipped-lines.ts";
import { emptyStats, type PatientRecord } from "../types.ts";
import { batchingModel } from "./batching-model.ts";
import { JOB_READ } from "./job-resource-types.ts";
import { unpackLines } from "./packed-lines.ts";
import { prepare, scoreBatch } from "./score-batch.ts";
import { scoredRow } from "./scored-patient.ts";
import type { ScoreSettings } from "./score-settings.ts";
import type { ScoreRequest, WorkerReply, WorkerRequest } from "./worker-messages.ts";

const settings = workerData as ScoreSettings;
const port = parentPort!;
const reply = (message: WorkerReply) => port.postMessage(message);

let assembly: LineAssembly = { medications: new Map(), selection: JOB_READ };

/** The batch's patients, each prepared (features built) as soon as it is assembled. */
function patientsOf(request: ScoreRequest) {
  const input = emptyStats("ndjson");
  // The job always counts and skips bad lines (it never stops on one).
  const policy = countingPolicy(input, true);
  const patients = (JSON.parse(request.records) as PatientRecord[]).map((record) => prepare(record, settings));
  for (const group of unpackLines(request.lines)) patients.push(prepare(assemblePatientLines(group, assembly, input, policy), settings));
  for (const group of unpackLines(request.countOnly)) assemblePatientLines(group, assembly, input, policy);
  const { resourcesByType, skipped, shared, flagged, skippedLines } = input;
  return { patients, input: { resourcesByType, skipped, shared, flagged, skippedLines } };
}

try {
  // One thread per session: the pool runs one worker per core, and onnxruntime's default of a
  // thread per core in every worker would make them compete.
  const singleThreaded = { ...ort, InferenceSession: { create: (bytes: Uint8Array) => ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 }) } };
  const model = batchingModel(await loadRiskModel(singleThreaded, await readFile(settings.modelPath), { maxBatchSize: 2048 }));
  port.on("message", (request: WorkerRequest) => {
    if (request.kind === "lines-context") {
      assembly = {
        medications: new Map(request.medications),
        // The reading thread opened the population with the same selection (run-job.ts).
        selection: JOB_READ,
        ...(request.fhirBaseUrl === null ? {} : { fhirBaseUrl: request.fhirBaseUrl }),
      };
      return;
    }
    const { batch } = request;
    Promise.resolve()
      .then(() => patientsOf(request))
      .then(({ patients, input }) =>
        scoreBatch(model, patients, settings).then((results) =>
          reply({ kind: "scored", batch, results: results.map((result, i) => scoredRow(result, patients[i]!.features.quality)), input }),
        ),
      )
      .catch((error: unknown) => reply({ kind: "failed", batch, message: (error as Error).message }));
  });
  reply({ kind: "ready", model: model.info });
} catch (error) {
  reply({ kind: "failed", batch: -1, message: (error as Error).message });
}
