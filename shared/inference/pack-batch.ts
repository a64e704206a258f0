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

function checkRow(row: ModelInput, index: number): void {
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

/** Validates and copies rows [start, end) into fresh tensors' backing arrays. */
export function packBatch(
  rows: readonly ModelInput[],
  start = 0,
  end = rows.length,
): { sequence: Float32Array; static: Float32Array; size: number } {
  const size = end - start;
  const sequence = new Float32Array(size * SEQUENCE_LENGTH);
  const staticValues = new Float32Array(size * STATIC_COUNT);
  for (let r = 0; r < size; r++) {
    const row = rows[start + r] as ModelInput;
    checkRow(row, start + r);
    sequence.set(row.sequence, r * SEQUENCE_LENGTH);
    staticValues.set(row.static, r * STATIC_COUNT);
  }
  return { sequence, static: staticValues, size };
}
