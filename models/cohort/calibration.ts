/**
 * Calibrates the baseline onset hazard (the hazard of someone with none of the risk factors) so
 * that the simulated diagnosis incidence, averaged over everyone still at risk, matches the
 * published incidence by age and sex.
 *
 * baseline(a) = target(a) / E[multiplier | no onset yet, age a, sex], where the expectation runs
 * over a fixed reference population drawn with the simulator's own exposure model. People with
 * many risk factors fall ill first, so the expectation is computed age by age with each
 * person's survival probability as weight (no sampling noise from onsets). The target is read
 * at the age the onset will be diagnosed (mid-year + mean delay), so that the diagnosis
 * incidence, not the onset incidence, matches the published figures.
 *
 * The reference population is seeded with a constant, so the table is the same in every run.
 */
import { civilFromDay, dayFromCivil } from "../../shared/fhir-dates.ts";
import { drawExposures, MAX_AGE, type SimSex } from "./exposures.ts";
import { targetIncidence } from "./incidence-target.ts";
import { DAYS_PER_YEAR, DIAGNOSIS_DELAY, ONSET_MIN_AGE } from "./parameters.ts";
import { Random, STREAM } from "./random.ts";

const REFERENCE_SEED = 20_240_901;
const REFERENCE_SIZE = 8_000;

let tables: Record<SimSex, Float64Array> | null = null;

function calibrate(sex: SimSex): Float64Array {
  const base = new Float64Array(MAX_AGE + 1);
  const multipliers: Float64Array[] = [];
  const firstBirth = dayFromCivil(1900, 1, 1);
  for (let i = 0; i < REFERENCE_SIZE; i++) {
    const rng = new Random(REFERENCE_SEED + (sex === "female" ? 0 : 1), i, STREAM.calibration);
    let birthDay = firstBirth + rng.int(0, 364);
    if (civilFromDay(birthDay).month === 2 && civilFromDay(birthDay).day === 29) birthDay -= 1;
    multipliers.push(drawExposures(rng, sex, birthDay).multipliers);
  }
  const weight = new Float64Array(REFERENCE_SIZE).fill(1);
  const delayYears = DIAGNOSIS_DELAY.meanDays / DAYS_PER_YEAR;
  for (let age = ONSET_MIN_AGE; age <= MAX_AGE; age++) {
    let sumW = 0;
    let sumWM = 0;
    for (let i = 0; i < REFERENCE_SIZE; i++) {
      const w = weight[i] as number;
      sumW += w;
      sumWM += w * ((multipliers[i] as Float64Array)[age] as number);
    }
    const lambda = targetIncidence(sex, age + 0.5 + delayYears) / (sumWM / sumW);
    base[age] = lambda;
    for (let i = 0; i < REFERENCE_SIZE; i++) {
      weight[i] = (weight[i] as number) * Math.exp(-lambda * ((multipliers[i] as Float64Array)[age] as number));
    }
  }
  return base;
}

/** Yearly onset hazard of a person with no risk factor, in the year of age `age`. */
export function baselineHazard(sex: SimSex, age: number): number {
  tables ??= { female: calibrate("female"), male: calibrate("male") };
  if (age < ONSET_MIN_AGE) return 0;
  return tables[sex][Math.min(age, MAX_AGE)] as number;
}
