/**
 * Age- and sex-matched case-control sampling. The published Deep-KOA controls were random and
 * much younger than the cases (mean age 51 vs 64), which rewards a model for recognising age;
 * matching each case with controls of the same sex and age removes that advantage and shows how
 * much the model knows beyond age and sex.
 *
 * Each case (label 1) gets up to `controlsPerCase` controls (label 0) of the same sex and the
 * same age in completed years, widening to +-1, +-2 ... +-maxAgeGap years when too few remain.
 * Controls are drawn without replacement by a seeded generator, so the set is reproducible.
 */
import { Random } from "../cohort/random.ts";
import type { PredictionTable } from "./prediction-table.ts";

export interface MatchingOptions {
  /** Default 4. */
  controlsPerCase?: number;
  /** Largest age difference allowed, in years. Default 2. */
  maxAgeGap?: number;
  /** Default 20211001. */
  seed?: number;
}

export interface MatchedSample {
  /** Row indices into the table: cases and their controls. */
  rows: number[];
  cases: number;
  controls: number;
  /** Cases that found fewer than controlsPerCase controls. */
  casesShortOfControls: number;
  controlsPerCase: number;
  maxAgeGap: number;
}

export function matchCaseControl(table: PredictionTable, options: MatchingOptions = {}): MatchedSample {
  const k = options.controlsPerCase ?? 4;
  const maxGap = options.maxAgeGap ?? 2;
  const random = new Random(options.seed ?? 20211001, 0, 0);
  // Pools of unused controls by "sex|age".
  const pools = new Map<string, number[]>();
  const cases: number[] = [];
  table.labels.forEach((label, i) => {
    const age = table.ageYears[i] as number;
    if (!Number.isFinite(age)) return;
    if (label === 1) cases.push(i);
    else {
      const key = `${table.sex[i]}|${Math.floor(age)}`;
      const pool = pools.get(key) ?? [];
      pool.push(i);
      pools.set(key, pool);
    }
  });
  const rows: number[] = [];
  let controls = 0;
  let short = 0;
  for (const c of cases) {
    const age = Math.floor(table.ageYears[c] as number);
    const picked: number[] = [];
    for (let gap = 0; gap <= maxGap && picked.length < k; gap++) {
      for (const a of gap === 0 ? [age] : [age - gap, age + gap]) {
        const pool = pools.get(`${table.sex[c]}|${a}`);
        while (pool !== undefined && pool.length > 0 && picked.length < k) {
          // Swap-remove a random element: O(1) sampling without replacement.
          const j = random.int(0, pool.length - 1);
          picked.push(pool[j] as number);
          pool[j] = pool[pool.length - 1] as number;
          pool.pop();
        }
      }
    }
    if (picked.length < k) short++;
    rows.push(c, ...picked);
    controls += picked.length;
  }
  return { rows, cases: cases.length, controls, casesShortOfControls: short, controlsPerCase: k, maxAgeGap: maxGap };
}
