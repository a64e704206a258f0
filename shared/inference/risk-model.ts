/**
 * Loads a Patella ONNX risk model with a caller-supplied onnxruntime (node or web) and runs
 * batched predictions. This is the only place that talks to onnxruntime.
 */
import { CHANNEL_COUNT, FEATURE_SPEC_VERSION, STATIC_COUNT, WEEKS } from "../features/spec.ts";
import { readOnnxMetadata } from "./onnx-metadata.ts";
import { type RiskModelInfo, ModelMetadataError, parseModelInfo } from "./model-info.ts";
import type { OrtRuntime, OrtSessionLike, OrtTensorLike } from "./ort-runtime.ts";
import { FeatureInputError, type ModelInput, type PackedBatch, SEQUENCE_LENGTH, packBatch, sliceBatch } from "./pack-batch.ts";

export const INPUT_SEQUENCE = "sequence";
export const INPUT_STATIC = "static";
export const OUTPUT_RISK = "risk";

export interface RiskModelOptions {
  /** Largest number of rows sent to onnxruntime in one run; bigger inputs are split. Default 256. */
  maxBatchSize?: number;
}

export interface RiskModel {
  readonly info: RiskModelInfo;
  /** Calibrated probability of a knee OA diagnosis within 1 year, one per row, in input order. */
  predict(batch: readonly ModelInput[]): Promise<Float32Array>;
  /**
   * The same for rows the caller has already laid out and checked (explainRisk writes its
   * occluded rows straight into one batch from a row it checked once): no copy, no per-value
   * scan. Only the shapes are checked here.
   */
  predictPacked(batch: PackedBatch): Promise<Float32Array>;
  /** Frees the native session; the model cannot be used afterwards. */
  release(): Promise<void>;
}

export class ModelRunError extends Error {
  override name = "ModelRunError";
}

const DEFAULT_MAX_BATCH = 256;

const KNOWN_INPUTS: readonly string[] = [INPUT_SEQUENCE, INPUT_STATIC];

/** ONNX export drops inputs a graph never reads (the age/sex baseline has only `static`), so a
 * model may declare a subset of the known inputs, but nothing else. */
function checkSessionNames(session: OrtSessionLike, name: string): void {
  const unknown = session.inputNames.filter((input) => !KNOWN_INPUTS.includes(input));
  if (unknown.length > 0 || session.inputNames.length === 0) {
    throw new ModelMetadataError(
      `model "${name}" has inputs (${session.inputNames.join(", ")}); expected "${INPUT_SEQUENCE}" and/or "${INPUT_STATIC}"`,
    );
  }
  if (!session.outputNames.includes(OUTPUT_RISK)) {
    throw new ModelMetadataError(`model "${name}" has no output "${OUTPUT_RISK}" (outputs: ${session.outputNames.join(", ")})`);
  }
}

/**
 * Reads the model's metadata, refuses a model trained for another feature spec, opens an
 * onnxruntime session and checks the model accepts this build's tensor shapes.
 */
export async function loadRiskModel(
  ort: OrtRuntime,
  modelBytes: Uint8Array,
  options: RiskModelOptions = {},
): Promise<RiskModel> {
  const maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH;
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) {
    throw new RangeError(`maxBatchSize must be a positive integer, got ${maxBatchSize}`);
  }
  // Checked before the session exists so a wrong model fails fast with the version message.
  const info = parseModelInfo(readOnnxMetadata(modelBytes));
  const session = await ort.InferenceSession.create(modelBytes);
  checkSessionNames(session, info.name);
  const wantsSequence = session.inputNames.includes(INPUT_SEQUENCE);
  const wantsStatic = session.inputNames.includes(INPUT_STATIC);

  // onnxruntime-web refuses overlapping runs on one session; chaining keeps callers that
  // predict concurrently (e.g. parallel CDS Hooks requests) safe on both runtimes.
  let queue: Promise<unknown> = Promise.resolve();

  async function runChunk(packed: PackedBatch): Promise<Float32Array> {
    const feeds: Record<string, OrtTensorLike> = {};
    if (wantsSequence) feeds[INPUT_SEQUENCE] = new ort.Tensor("float32", packed.sequence, [packed.size, CHANNEL_COUNT, WEEKS]);
    if (wantsStatic) feeds[INPUT_STATIC] = new ort.Tensor("float32", packed.static, [packed.size, STATIC_COUNT]);
    let output;
    try {
      output = (await session.run(feeds))[OUTPUT_RISK];
    } catch (err) {
      throw new ModelRunError(`model "${info.name}" failed on a batch of ${packed.size}: ${(err as Error).message}`);
    }
    if (!output || !(output.data instanceof Float32Array) || output.data.length !== packed.size) {
      throw new ModelRunError(`model "${info.name}" did not return ${packed.size} float32 "${OUTPUT_RISK}" values`);
    }
    return output.data;
  }

  /** Runs `size` rows in chunks of at most maxBatchSize; `chunk` lays out rows [start, end). */
  async function predictNow(size: number, chunk: (start: number, end: number) => PackedBatch): Promise<Float32Array> {
    const result = new Float32Array(size);
    for (let start = 0; start < size; start += maxBatchSize) {
      const end = Math.min(size, start + maxBatchSize);
      result.set(await runChunk(chunk(start, end)), start);
    }
    for (let i = 0; i < result.length; i++) {
      const p = result[i] as number;
      if (!(p >= 0 && p <= 1)) throw new ModelRunError(`model "${info.name}" returned ${p} for row ${i}, not a probability`);
    }
    return result;
  }

  const enqueue = (work: () => Promise<Float32Array>): Promise<Float32Array> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };

  const model: RiskModel = {
    info,
    predict: (batch) => enqueue(() => predictNow(batch.length, (start, end) => packBatch(batch, start, end))),
    predictPacked(batch) {
      if (batch.sequence.length !== batch.size * SEQUENCE_LENGTH || batch.static.length !== batch.size * STATIC_COUNT) {
        return Promise.reject(new FeatureInputError(`packed batch of ${batch.size} rows has ${batch.sequence.length} sequence and ${batch.static.length} static values`));
      }
      return enqueue(() => predictNow(batch.size, (start, end) => sliceBatch(batch, start, end)));
    },
    release: () => session.release(),
  };
  // A one-row dry run turns a shape mismatch (e.g. a model exported for another channel count
  // under the right version string) into a load-time error instead of a failure on first use.
  await model.predict([{ specVersion: FEATURE_SPEC_VERSION, sequence: new Float32Array(SEQUENCE_LENGTH), static: new Float32Array(STATIC_COUNT) }]);
  return model;
}
