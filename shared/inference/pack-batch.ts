/**
 * Packs PatientFeatures rows into the two contiguous input tensors the ONNX models take:
 * `sequence` [batch, CHANNEL_COUNT, WEEKS] and `static` [batch, STATIC_COUNT].
 */
import { CHANNEL_COUNT, FEATURE_SPEC_VERSION, STATIC_COUNT, WEEKS } from "../features/spec.ts";
import type { PatientFeatures } from "../features/types.ts";

export const SEQUENCE_LENGTH = CHANNEL_COUNT * WEEKS;

/** The slice of PatientFeatures that inference reads. */
export type ModelInput = Pick<PatientFeatures, "specVersion" | "sequence" | "static">;

export class FeatureInputError extends Error {
  override name = "FeatureInputError";
}

/** Rows laid out as the model takes them: `size` rows back to back in each array. */
export interface PackedBatch {
  sequence: Float32Array;
  static: Float32Array;
  size: number;
}

/** Checks one row's version, shapes and values (throws FeatureInputError naming row `index`). */
export function checkRow(row: ModelInput, index: number): void {
  if (row.specVersion !== FEATURE_SPEC_VERSION) {
    throw new FeatureInputError(
      `row ${index}: features built for spec "${row.specVersion}", the model expects "${FEATURE_SPEC_VERSION}"`,
    );
  }
  if (row.sequence.length !== SEQUENCE_LENGTH) {
    throw new FeatureInputError(`row ${index}: sequence has ${row.sequence.length} values, expected ${SEQUENCE_LENGTH}`);
  }
  if (row.static.length !== STATIC_COUNT) {
    throw new FeatureInputError(`row ${index}: static has ${row.static.length} values, expected ${STATIC_COUNT}`);
  }
  // A NaN would propagate silently into a probability of NaN; refuse it here, where the row is known.
  for (const [name, values] of [["sequence", row.sequence], ["static", row.static]] as const) {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) throw new FeatureInputError(`row ${index}: ${name}[${i}] is not a finite number`);
    }
  }
}

/** A zero-filled batch of `size` rows. */
export function allocateBatch(size: number): PackedBatch {
  return { sequence: new Float32Array(size * SEQUENCE_LENGTH), static: new Float32Array(size * STATIC_COUNT), size };
}

/** Row `r` of a packed batch as a ModelInput whose arrays are views into the batch (no copy). */
export function batchRow(batch: PackedBatch, r: number): { sequence: Float32Array; static: Float32Array } {
  return {
    sequence: batch.sequence.subarray(r * SEQUENCE_LENGTH, (r + 1) * SEQUENCE_LENGTH),
    static: batch.static.subarray(r * STATIC_COUNT, (r + 1) * STATIC_COUNT),
  };
}

/** Validates and copies rows [start, end) into fresh tensors' backing arrays. */
export function packBatch(rows: readonly ModelInput[], start = 0, end = rows.length): PackedBatch {
  const batch = allocateBatch(end - start);
  for (let r = 0; r < batch.size; r++) {
    const row = rows[start + r] as ModelInput;
    checkRow(row, start + r);
    const target = batchRow(batch, r);
    target.sequence.set(row.sequence);
    target.static.set(row.static);
  }
  return batch;
}

/**
 * Rows [start, end) of a packed batch: the batch itself when that is all of it, else a copy
 * (tensors get arrays of their own, never views at an offset into a larger buffer).
 */
export function sliceBatch(batch: PackedBatch, start: number, end: number): PackedBatch {
  if (start === 0 && end === batch.size) return batch;
  return {
    sequence: batch.sequence.slice(start * SEQUENCE_LENGTH, end * SEQUENCE_LENGTH),
    static: batch.static.slice(start * STATIC_COUNT, end * STATIC_COUNT),
    size: end - start,
  };
}
