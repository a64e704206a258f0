/**
 * Knee OA onset and diagnosis. The onset hazard is constant within each year of age (birthday
 * to birthday): baseline(age, sex) x the product of hazard ratios of the lagged exposures. The
 * diagnosis follows the onset after an independent Gamma-distributed delay.
 */
import { baselineHazard } from "./calibration.ts";
import { MAX_AGE, type Exposures, type SimSex } from "./exposures.ts";
import { DAYS_PER_YEAR, DIAGNOSIS_DELAY, ONSET_MIN_AGE } from "./parameters.ts";
import type { Random } from "./random.ts";

const YEAR = DAYS_PER_YEAR;

/** Onset hazard per day during the year of age `age`. */
export function dailyOnsetHazard(e: Exposures, sex: SimSex, age: number): number {
  if (age < ONSET_MIN_AGE || age > MAX_AGE) return 0;
  return (baselineHazard(sex, age) * (e.multipliers[age] as number)) / YEAR;
}

/** Year of age on a day (the last birthday on or before it). */
export function ageOnDay(e: Exposures, day: number): number {
  let age = Math.floor((day - e.birthDay) / DAYS_PER_YEAR);
  while (age > 0 && (e.birthdays[age] as number) > day) age--;
  while (age + 1 <= MAX_AGE && (e.birthdays[age + 1] as number) <= day) age++;
  return age;
}

/** Onset as a fractional day number, by inverting the cumulative hazard; Infinity if none by MAX_AGE. */
export function drawOnset(rng: Random, e: Exposures, sex: SimSex): number {
  const target = rng.exponential();
  let cumulative = 0;
  for (let age = ONSET_MIN_AGE; age < MAX_AGE; age++) {
    const rate = dailyOnsetHazard(e, sex, age);
    const start = e.birthdays[age] as number;
    const length = (e.birthdays[age + 1] as number) - start;
    if (cumulative + rate * length >= target) return start + (target - cumulative) / rate;
    cumulative += rate * length;
  }
  return Infinity;
}

const DELAY_SCALE = DIAGNOSIS_DELAY.meanDays / DIAGNOSIS_DELAY.shape;

/** P(delay <= x days): the Gamma (Erlang, integer shape k) distribution function,
 * 1 - exp(-z) * sum_{j<k} z^j / j!. */
export function delayCdf(x: number): number {
  if (x <= 0) return 0;
  const z = x / DELAY_SCALE;
  let term = 1;
  let sum = 1;
  for (let j = 1; j < DIAGNOSIS_DELAY.shape; j++) {
    term *= z / j;
    sum += term;
  }
  return 1 - Math.exp(-z) * sum;
}

export function drawDelay(rng: Random): number {
  return rng.gammaIntegerShape(DIAGNOSIS_DELAY.shape, DIAGNOSIS_DELAY.meanDays);
}
