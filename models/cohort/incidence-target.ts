/**
 * The published knee OA incidence as a smooth function of age: linear between the midpoints of
 * the bands in parameters.ts, flat beyond the first and last midpoints.
 */
import type { SimSex } from "./exposures.ts";
import { KNEE_OA_INCIDENCE_PER_100K } from "./parameters.ts";

const MIDPOINTS = KNEE_OA_INCIDENCE_PER_100K.map((b) => (b.from + b.to) / 2);
const RATES = { female: KNEE_OA_INCIDENCE_PER_100K.map((b) => b.female / 1e5), male: KNEE_OA_INCIDENCE_PER_100K.map((b) => b.male / 1e5) };

/** Yearly diagnosis incidence (a fraction) at an exact age. */
export function targetIncidence(sex: SimSex, ageYears: number): number {
  const rates = RATES[sex];
  const last = rates.length - 1;
  if (ageYears <= (MIDPOINTS[0] as number)) return rates[0] as number;
  if (ageYears >= (MIDPOINTS[last] as number)) return rates[last] as number;
  let i = 1;
  while ((MIDPOINTS[i] as number) < ageYears) i++;
  const lo = MIDPOINTS[i - 1] as number;
  const f = (ageYears - lo) / ((MIDPOINTS[i] as number) - lo);
  return (rates[i - 1] as number) + ((rates[i] as number) - (rates[i - 1] as number)) * f;
}
