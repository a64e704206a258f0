/**
 * The evaluation's data: one row per eligible (patient, index date) with the outcome, the
 * demographics used for subgroups and matching, and every model's prediction, stored as
 * columns so that a large cohort costs a few numbers per row (features are dropped once scored).
 */
import type { Sex } from "../../shared/features/types.ts";

export const ORACLE = "oracle";

export interface PredictionTable {
  labels: number[];
  ageYears: number[];
  sex: Sex[];
  /** No BMI before the index date (the model then sees the missing-BMI flag). */
  bmiMissing: boolean[];
  /** Patient of each row (for counting patients; never written to a report). */
  patientIndex: number[];
  /** Predictions by model name; ORACLE holds the simulator's true risk when truth exists. */
  scores: Record<string, number[]>;
}

export function emptyTable(modelNames: readonly string[]): PredictionTable {
  return {
    labels: [],
    ageYears: [],
    sex: [],
    bmiMissing: [],
    patientIndex: [],
    scores: Object.fromEntries(modelNames.map((name) => [name, []])),
  };
}

/** The rows at `indices`, in that order (subgroups, matched sets). */
export function selectRows(table: PredictionTable, indices: readonly number[]): PredictionTable {
  const pick = <T>(column: readonly T[]): T[] => indices.map((i) => column[i] as T);
  return {
    labels: pick(table.labels),
    ageYears: pick(table.ageYears),
    sex: pick(table.sex),
    bmiMissing: pick(table.bmiMissing),
    patientIndex: pick(table.patientIndex),
    scores: Object.fromEntries(Object.entries(table.scores).map(([name, column]) => [name, pick(column)])),
  };
}
