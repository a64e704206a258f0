/**
 * The published knee OA incidence as a function of age: the band's rate (the published figures
 * are band averages, so a step function keeps each band's average), the first band's below it
 * and the last band's above it.
 */
import type { SimSex } from "./exposures.ts";
import { KNEE_OA_INCIDENCE_PER_100K } from "./parameters.ts";

const BANDS = KNEE_OA_INCIDENCE_PER_100K.map((b) => ({ to: b.to, female: b.female / 1e5, male: b.male / 1e5 }));

/** Yearly diagnosis incidence (a fraction) at an exact age. */
export function targetIncidence(sex: SimSex, ageYears: number): number {
  for (const band of BANDS) if (ageYears < band.to) return band[sex];
  return (BANDS[BANDS.length - 1] as (typeof BANDS)[number])[sex];
}
