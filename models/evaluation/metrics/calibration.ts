/**
 * Calibration: Brier score, logistic calibration slope and intercept, expected calibration
 * error over equal-count bins, and the bins themselves for a reliability plot.
 */
import { MetricInputError, type Scored, checkScored } from "./types.ts";

/** Mean squared difference between probability and outcome. */
export function brier(data: Scored): number {
  checkScored(data);
  if (data.labels.length === 0) throw new MetricInputError("Brier score of no rows");
  let s = 0;
  for (let i = 0; i < data.labels.length; i++) s += ((data.scores[i] as number) - (data.labels[i] as number)) ** 2;
  return s / data.labels.length;
}

// Probabilities of exactly 0 or 1 have infinite logits; clipping keeps the fits finite.
const EPS = 1e-7;
export const logit = (p: number): number => {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
};
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function logLikelihood(x: Float64Array, y: ArrayLike<number>, a: number, b: number): number {
  let ll = 0;
  for (let i = 0; i < x.length; i++) {
    const eta = a + b * (x[i] as number);
    // log(1 + e^eta) computed without overflow.
    const softplus = eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
    ll += (y[i] as number) * eta - softplus;
  }
  return ll;
}

/**
 * Maximum-likelihood logistic fit of y on x (with an intercept) by Newton-Raphson with step
 * halving (plain Newton can overshoot from a poor start, e.g. few cases and a miscalibrated
 * model); `slopeFixed` fixes the coefficient of x (an offset) and fits only the intercept.
 */
function logisticFit(x: Float64Array, y: ArrayLike<number>, slopeFixed?: number): { intercept: number; slope: number } {
  let a = 0;
  let b = slopeFixed ?? 1;
  let ll = logLikelihood(x, y, a, b);
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
    for (let i = 0; i < x.length; i++) {
      const xi = x[i] as number;
      const p = sigmoid(a + b * xi);
      const r = (y[i] as number) - p;
      const w = p * (1 - p);
      ga += r;
      gb += r * xi;
      haa += w;
      hab += w * xi;
      hbb += w * xi * xi;
    }
    let da: number, db: number;
    if (slopeFixed !== undefined) {
      da = ga / haa;
      db = 0;
    } else {
      const det = haa * hbb - hab * hab;
      if (!(Math.abs(det) > 1e-12)) throw new MetricInputError("calibration fit is degenerate (all predictions equal?)");
      da = (hbb * ga - hab * gb) / det;
      db = (haa * gb - hab * ga) / det;
    }
    let step = 1;
    let next = logLikelihood(x, y, a + da, b + db);
    while (!(next >= ll - 1e-12) && step > 1e-6) {
      step /= 2;
      next = logLikelihood(x, y, a + step * da, b + step * db);
    }
    a += step * da;
    b += step * db;
    ll = next;
    if (Math.abs(step * da) < 1e-10 && Math.abs(step * db) < 1e-10) break;
  }
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new MetricInputError("calibration fit did not converge");
  return { intercept: a, slope: b };
}

/**
 * Calibration slope: b in logit P(y) = a + b logit(p) (ideal 1; below 1 means predictions are
 * too extreme). Calibration intercept (calibration-in-the-large): a with b fixed at 1 (ideal 0;
 * positive means the model underestimates risk on average). Van Calster et al., J Clin
 * Epidemiol 2016;74:167.
 */
export function calibrationSlopeIntercept(data: Scored): { slope: number; intercept: number } {
  const positives = checkScored(data);
  if (positives === 0 || positives === data.labels.length) {
    throw new MetricInputError("calibration slope needs both outcomes");
  }
  const x = Float64Array.from(data.scores as ArrayLike<number>, logit);
  const { slope } = logisticFit(x, data.labels);
  const { intercept } = logisticFit(x, data.labels, 1);
  return { slope, intercept };
}

export interface ReliabilityBin {
  count: number;
  meanPredicted: number;
  observedRate: number;
  minPredicted: number;
  maxPredicted: number;
}

/**
 * Equal-count bins of predicted probability (rows sorted by prediction, split into `bins`
 * groups as equal as possible). Equal-count, not equal-width: with a 1-year incidence of a few
 * percent nearly every prediction would fall into the first of ten equal-width bins.
 */
export function reliabilityBins(data: Scored, bins = 10): ReliabilityBin[] {
  checkScored(data);
  const n = data.labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (data.scores[a] as number) - (data.scores[b] as number));
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const start = Math.floor((b * n) / bins);
    const end = Math.floor(((b + 1) * n) / bins);
    if (end <= start) continue;
    let sp = 0, sy = 0;
    for (let k = start; k < end; k++) {
      sp += data.scores[order[k] as number] as number;
      sy += data.labels[order[k] as number] as number;
    }
    out.push({
      count: end - start,
      meanPredicted: sp / (end - start),
      observedRate: sy / (end - start),
      minPredicted: data.scores[order[start] as number] as number,
      maxPredicted: data.scores[order[end - 1] as number] as number,
    });
  }
  return out;
}

/** Expected calibration error: count-weighted mean |mean predicted - observed rate| over bins. */
export function expectedCalibrationError(data: Scored, bins = 10): number {
  const n = data.labels.length;
  if (n === 0) throw new MetricInputError("ECE of no rows");
  return reliabilityBins(data, bins).reduce((s, b) => s + (b.count / n) * Math.abs(b.meanPredicted - b.observedRate), 0);
}
