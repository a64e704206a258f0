import { describe, expect, it } from "vitest";
import { matchCaseControl } from "../../../models/evaluation/matching.ts";
import { type PredictionTable, emptyTable } from "../../../models/evaluation/prediction-table.ts";
import type { Sex } from "../../../shared/features/types.ts";

function table(rows: [label: number, age: number, sex: Sex][]): PredictionTable {
  const t = emptyTable(["m"]);
  rows.forEach(([label, age, sex], i) => {
    t.labels.push(label);
    t.ageYears.push(age);
    t.sex.push(sex);
    t.patientIndex.push(i);
    t.scores["m"]!.push(0.5);
  });
  return t;
}

// Row 0: female case aged 60; row 1: male case aged 70; then controls.
const rows: [number, number, Sex][] = [
  [1, 60, "female"],
  [1, 70.4, "male"],
  ...Array.from({ length: 5 }, (): [number, number, Sex] => [0, 60.5, "female"]), // rows 2-6
  [0, 61, "female"], // 7
  [0, 70, "male"], // 8
  [0, 72, "male"], // 9
  [0, 72.9, "male"], // 10
  [0, 75, "male"], // 11: too far
  [0, 70, "female"], // 12: wrong sex
];

describe("matchCaseControl", () => {
  it("matches on sex and age in years, widening the age gap only when needed", () => {
    const t = table(rows);
    const m = matchCaseControl(t);
    expect(m.cases).toBe(2);
    expect(m.controls).toBe(7);
    expect(m.casesShortOfControls).toBe(1);
    const first = m.rows.slice(1, 5);
    expect(first.every((r) => r >= 2 && r <= 6)).toBe(true); // all four from the exact-age pool
    expect(m.rows[5]).toBe(1);
    expect(m.rows.slice(6).sort((a, b) => a - b)).toEqual([8, 9, 10]);
  });

  it("samples without replacement and reproducibly", () => {
    const t = table(rows);
    const a = matchCaseControl(t, { seed: 9, controlsPerCase: 3 });
    expect(new Set(a.rows).size).toBe(a.rows.length);
    expect(matchCaseControl(t, { seed: 9, controlsPerCase: 3 }).rows).toEqual(a.rows);
  });

  it("respects a narrower age gap", () => {
    const m = matchCaseControl(table(rows), { maxAgeGap: 0 });
    expect(m.rows.slice(5)).toEqual([1, 8]);
  });
});
