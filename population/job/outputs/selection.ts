/** Which scored patients make the list (the high-risk list by default): those at or above a
 * threshold, optionally only the N riskiest of them. */
import { RISK_TIER_CONFIG } from "../../../shared/risk-tiers.ts";
import type { ScoredPatient } from "../scored-patient.ts";

export interface Selection {
  threshold: number;
  top: number | null;
}

const percent = (probability: number) => `${(probability * 100).toFixed(2)}%`;

export function describeSelection(selection: Selection): string {
  const above = `risk at or above ${percent(selection.threshold)}`;
  return selection.top === null ? above : `the ${selection.top} riskiest patients with ${above}`;
}

/**
 * What the list is called where it is named (summary.html, high-risk.csv's note, stderr): the
 * high-risk list when it starts at the High tier's bound, as by default; else by what it holds.
 * A lower --threshold lists Moderate and Low patients, whom "high-risk" would misname, and a
 * higher one only part of the High tier.
 */
export function listName(threshold: number): string {
  return threshold === RISK_TIER_CONFIG.thresholds.high ? "high-risk list" : `list of patients at or above ${percent(threshold)}`;
}

/** The list's name beside the High tier's bound, where the files named "high-risk" hold another
 * list (listName); null when they hold the high-risk list. */
export function notHighRiskList(threshold: number): string | null {
  const high = RISK_TIER_CONFIG.thresholds.high;
  return threshold === high ? null : `the ${listName(threshold)} (the High tier starts at ${percent(high)})`;
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

/** What imaging-knee-oa.csv lists, as every row's note and summary.html say it. */
export const IMAGING_LIST_WORDS =
  "the list of scored patients (so none with a knee OA diagnosis on record) whose knee radiograph the imaging AI graded Kellgren-Lawrence 2 or more, " +
  "whatever their risk, riskiest first: radiographic knee OA that the record does not code";

/**
 * Whether a patient is on the imaging list: scored, with a knee graded KL 2 or more
 * (shared/imaging/recent-kl.ts), whatever the risk, as the CDS service gives such a patient a
 * card whatever the tier (cds-service/cards/build-risk-card.ts, cardReason). The patients
 * PopulationTally counts as scored with that grade.
 */
export const isOnImagingList = (patient: ScoredPatient): boolean => patient.probability !== null && patient.recentKneeOaGrade !== null;
