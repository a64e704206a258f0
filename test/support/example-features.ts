/**
 * Feature rows for tests of the explanation and its views, built by hand from models/FEATURES.md
 * (static scaling: age (a - 50) / 20, female, male, BMI (b - 28) / 6, BMI missing, history / 3).
 */
import { FEATURE_SPEC_VERSION } from "../../shared/features/spec.ts";
import type { PatientFeatures } from "../../shared/features/types.ts";
import { SEQUENCE_LENGTH } from "../../shared/inference/pack-batch.ts";

/** A 67-year-old woman with BMI 33 and 3 years of history, whose weekly cells `fill` sets. */
export function woman67(fill: (sequence: Float32Array) => void): PatientFeatures {
  const sequence = new Float32Array(SEQUENCE_LENGTH);
  fill(sequence);
  return {
    specVersion: FEATURE_SPEC_VERSION,
    indexDate: "2024-01-01",
    sequence,
    static: Float32Array.from([(67 - 50) / 20, 1, 0, (33 - 28) / 6, 0, 1]),
    demographics: { ageYears: 67, sex: "female", bmi: 33, historyYears: 3 },
    eligibility: { eligible: true, reasons: [], warnings: [] },
    quality: { resourcesUsed: 0, skipped: {}, unmappedCodes: {}, ignoredOnOrAfterIndex: 0 },
  };
}
