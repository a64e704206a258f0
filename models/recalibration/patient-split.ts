/**
 * A split of rows by patient: every row of a patient goes to the same side, so the held-out
 * evaluation never sees a patient the fit saw. Deterministic for a seed (a hash of the patient
 * number and the seed), independent of how many rows each patient has.
 */

/** A uniform number in [0, 1) from two integers (the splitmix32 finaliser). */
function hashUnit(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

export interface PatientSplit {
  /** Row indices used to fit. */
  fit: number[];
  /** Row indices held out for the before/after evaluation. */
  holdout: number[];
}

export function splitByPatient(patientOfRow: readonly number[], holdoutShare: number, seed: number): PatientSplit {
  if (!(holdoutShare > 0 && holdoutShare < 1)) throw new RangeError(`holdout share must be between 0 and 1, got ${holdoutShare}`);
  const split: PatientSplit = { fit: [], holdout: [] };
  patientOfRow.forEach((patient, row) => (hashUnit(patient, seed) < holdoutShare ? split.holdout : split.fit).push(row));
  return split;
}
