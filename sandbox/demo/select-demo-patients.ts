/**
 * Chooses the demo patients from a larger simulated pool so that the sandbox shows every state
 * Patella handles: each tag has a quota, filled in pool order (deterministic), then the rest of
 * the places go to the first patients not yet chosen.
 */

export type DemoTag =
  | "high risk"
  | "moderate risk"
  | "low risk"
  | "already diagnosed"
  | "too young"
  | "knee replacement"
  | "no BMI"
  | "short history"
  | "MedicationRequest"
  | "MedicationStatement"
  | "no recent record"
  | "imaging KL 2+";

export interface Candidate {
  id: string;
  tags: readonly DemoTag[];
}

/** How many patients of each tag the demo wants at least. */
export const DEMO_QUOTAS: Readonly<Record<DemoTag, number>> = {
  "high risk": 5,
  "moderate risk": 8,
  "low risk": 8,
  "already diagnosed": 5,
  "too young": 2,
  "knee replacement": 2,
  "no BMI": 4,
  "short history": 3,
  MedicationRequest: 4,
  MedicationStatement: 4,
  "no recent record": 2,
  // A knee graded Kellgren-Lawrence 2 or more by the imaging AI: a card whatever the tier.
  "imaging KL 2+": 2,
};

export interface Selection {
  ids: string[];
  /** Tags whose quota could not be met from the pool, with how many were found. */
  shortfalls: { tag: DemoTag; found: number; wanted: number }[];
}

export function selectDemoPatients(pool: readonly Candidate[], total: number, quotas = DEMO_QUOTAS): Selection {
  const chosen = new Set<string>();
  const shortfalls: Selection["shortfalls"] = [];
  for (const [tag, wanted] of Object.entries(quotas) as [DemoTag, number][]) {
    let have = pool.filter((c) => chosen.has(c.id) && c.tags.includes(tag)).length;
    for (const c of pool) {
      if (have >= wanted || chosen.size >= total) break;
      if (!chosen.has(c.id) && c.tags.includes(tag)) {
        chosen.add(c.id);
        have++;
      }
    }
    if (have < wanted) shortfalls.push({ tag, found: have, wanted });
  }
  for (const c of pool) {
    if (chosen.size >= total) break;
    chosen.add(c.id);
  }
  // Keep pool order, so the same seed always lists patients the same way.
  return { ids: pool.filter((c) => chosen.has(c.id)).map((c) => c.id), shortfalls };
}
