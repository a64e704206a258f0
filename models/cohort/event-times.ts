/** When things happen: Poisson processes over day ranges, and prescription sizes. */
import { DAYS_PER_YEAR, PRESCRIBING } from "./parameters.ts";
import type { Random } from "./random.ts";

/** Days of a Poisson process with a constant yearly rate on [from, to). */
export function poissonDays(rng: Random, from: number, to: number, perYear: number): number[] {
  const days: number[] = [];
  if (!(perYear > 0) || to <= from) return days;
  const meanGap = DAYS_PER_YEAR / perYear;
  for (let t = from + rng.exponential() * meanGap; t < to; t += rng.exponential() * meanGap) days.push(Math.floor(t));
  return days;
}

/**
 * Days of a Poisson process whose yearly rate on a day is `rateAt(day)` <= `maxPerYear`
 * (Lewis-Shedler thinning).
 */
export function thinnedPoissonDays(rng: Random, from: number, to: number, maxPerYear: number, rateAt: (day: number) => number): number[] {
  return poissonDays(rng, from, to, maxPerYear).filter((day) => rng.uniform() * maxPerYear < rateAt(day));
}

/** A whole number in [min, max] (days, scores). */
export function intBetween(rng: Random, [min, max]: readonly [number, number]): number {
  return rng.int(min, max);
}

/** A short course: 28 or 30 days, 0 to acuteMaxRefills repeats. */
export function acuteSupply(rng: Random): { supplyDays: number; refills: number } {
  return { supplyDays: rng.pick(PRESCRIBING.acuteSupplyDays), refills: rng.int(0, PRESCRIBING.acuteMaxRefills) };
}
