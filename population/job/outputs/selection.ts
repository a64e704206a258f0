/** Which scored patients make the high-risk list: those at or above a threshold, optionally only
 * the N riskiest of them. */
import type { ScoredPatient } from "../scored-patient.ts";

export interface Selection {
  threshold: number;
  top: number | null;
}

export function describeSelection(selection: Selection): string {
  const above = `risk at or above ${(selection.threshold * 100).toFixed(2)}%`;
  return selection.top === null ? above : `the ${selection.top} riskiest patients with ${above}`;
}

/** The high-risk list from patients in ranked order (riskiest first). */
export function* selectHighRisk(ranked: Iterable<ScoredPatient>, selection: Selection): Generator<ScoredPatient> {
  let taken = 0;
  for (const patient of ranked) {
    if (patient.probability === null || patient.probability < selection.threshold) return;
    if (selection.top !== null && taken >= selection.top) return;
    taken += 1;
    yield patient;
  }
}
