/**
 * Whose each row is: the evaluation scores a patient at several index dates, and those rows are
 * not independent. Every interval of the evaluation sums its per-row terms by patient before
 * taking their spread (docs/model-updating.md, "Several index dates per patient").
 */
import { MetricInputError } from "./types.ts";

export interface PatientNumbers {
  /** Dense patient number (0..count-1) of each row. */
  of: Int32Array;
  count: number;
}

/** Dense patient numbers of `rows` rows; every row its own patient when `clusters` is absent. */
export function patientNumbers(rows: number, clusters: ArrayLike<number> | undefined): PatientNumbers {
  const of = new Int32Array(rows);
  if (clusters === undefined) {
    of.forEach((_, i) => (of[i] = i));
    return { of, count: rows };
  }
  if (clusters.length !== rows) throw new MetricInputError(`${clusters.length} patients but ${rows} labels`);
  const numbers = new Map<number, number>();
  for (let i = 0; i < rows; i++) {
    const key = clusters[i] as number;
    let k = numbers.get(key);
    if (k === undefined) numbers.set(key, (k = numbers.size));
    of[i] = k;
  }
  return { of, count: numbers.size };
}

/**
 * k / (k - 1), the small-sample factor of a spread over k patients. With fewer than two patients
 * the spread cannot be seen, so the variance is unknown (NaN, shown as n/a), not zero.
 */
export const smallSampleFactor = (k: number): number => (k < 2 ? Number.NaN : k / (k - 1));

/** The per-row values summed by patient. */
export function sumByPatient(values: ArrayLike<number>, patients: PatientNumbers): Float64Array {
  const sums = new Float64Array(patients.count);
  for (let i = 0; i < values.length; i++) {
    const k = patients.of[i] as number;
    sums[k] = (sums[k] as number) + (values[i] as number);
  }
  return sums;
}
