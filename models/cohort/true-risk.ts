/**
 * The simulator's exact 1-year risk: P(knee OA diagnosis on a day d with index <= d < index+365
 * | the full latent state at the index). It is the ceiling ("oracle") for any model, because
 * everything a record shows before the index is generated from that state plus independent
 * noise.
 *
 * - Onset already happened (at o < index) and not yet diagnosed: the delay D is known to be at
 *   least index - o, so P = (F(index+365-o) - F(index-o)) / (1 - F(index-o)), F the delay CDF.
 * - No onset yet: P = integral over s in [index, index+365) of h(s) exp(-H(index, s))
 *   F(index+365-s) ds. The hazard h is constant within a year of age and, thanks to the exposure
 *   lag, known at the index; the window spans at most two years of age, and each piece is
 *   integrated with 24-point Gauss-Legendre quadrature (the integrand is smooth there).
 */
import type { Exposures, SimSex } from "./exposures.ts";
import { ageOnDay, dailyOnsetHazard, delayCdf } from "./onset.ts";
import { INDEX_DATES } from "./parameters.ts";

const WINDOW = INDEX_DATES.followUpDays;

/** Gauss-Legendre nodes and weights on [-1, 1] (Newton iteration on the Legendre polynomial). */
function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-15) break;
    }
    nodes[i] = x;
    weights[i] = 2 / ((1 - x * x) * dp * dp);
  }
  return { nodes, weights };
}

const GL = gaussLegendre(24);

/** The latent state the risk depends on. */
export interface RiskState {
  sex: SimSex;
  exposures: Exposures;
  /** Fractional day number of onset, Infinity when none. */
  onsetDay: number;
}

/** Integral over [from, to) of rate * exp(-(survivedHazard + rate (s - from))) * F(end - s) ds. */
function pieceIntegral(rate: number, from: number, to: number, survivedHazard: number, end: number): number {
  if (to <= from || rate === 0) return 0;
  const half = (to - from) / 2;
  const mid = (to + from) / 2;
  let sum = 0;
  for (let i = 0; i < GL.nodes.length; i++) {
    const s = mid + half * (GL.nodes[i] as number);
    sum += (GL.weights[i] as number) * rate * Math.exp(-(survivedHazard + rate * (s - from))) * delayCdf(end - s);
  }
  return sum * half;
}

/** True probability of a diagnosis in [indexDay, indexDay + 365), given no diagnosis before it. */
export function trueRisk1y(state: RiskState, indexDay: number): number {
  const end = indexDay + WINDOW;
  if (state.onsetDay < indexDay) {
    const elapsed = indexDay - state.onsetDay;
    const survivor = 1 - delayCdf(elapsed);
    return (delayCdf(elapsed + WINDOW) - delayCdf(elapsed)) / survivor;
  }
  const e = state.exposures;
  let risk = 0;
  let survivedHazard = 0;
  let from = indexDay;
  let age = ageOnDay(e, indexDay);
  while (from < end) {
    const to = Math.min(end, e.birthdays[age + 1] ?? end);
    const rate = dailyOnsetHazard(e, state.sex, age);
    risk += pieceIntegral(rate, from, to, survivedHazard, end);
    survivedHazard += rate * (to - from);
    from = to;
    age++;
  }
  return risk;
}
