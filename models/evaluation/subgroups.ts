/** The subgroups the evaluation reports: by sex and by age band at the index date. */
import type { PredictionTable } from "./prediction-table.ts";

export interface Subgroup {
  name: string;
  rows: number[];
}

/** Age bands in years [from, to); chosen around the epidemiology's bands (45+, 70-89, 75+). */
export const AGE_BANDS: readonly { label: string; from: number; to: number }[] = [
  { label: "18-44", from: 18, to: 45 },
  { label: "45-64", from: 45, to: 65 },
  { label: "65-74", from: 65, to: 75 },
  { label: "75+", from: 75, to: Infinity },
];

export function subgroups(table: PredictionTable): Subgroup[] {
  const out: Subgroup[] = [];
  for (const sex of ["female", "male"] as const) {
    out.push({ name: `sex: ${sex}`, rows: table.sex.flatMap((s, i) => (s === sex ? [i] : [])) });
  }
  for (const band of AGE_BANDS) {
    out.push({
      name: `age: ${band.label}`,
      rows: table.ageYears.flatMap((a, i) => (a >= band.from && a < band.to ? [i] : [])),
    });
  }
  return out;
}
