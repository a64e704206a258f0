/**
 * Calibration: Brier score, observed/expected, logistic calibration slope and intercept with
 * intervals, the integrated calibration index (ICI, E50, E90), expected calibration error over
 * equal-count bins, and the bins themselves (with intervals) for a reliability plot.
 *
 * ECE alone says little at a low prevalence: at 0.3% a model that always answers 0 has an ECE
 * of 0.003. O/E and the slope say how wrong the risks are in relative terms.
 *
 * Every interval counts patients, not rows, when `data.clusters` gives the patient of each row (a
 * patient scored at several index dates gives correlated rows): its usual variance (Poisson, Wald,
 * Wilson) is multiplied by the patients' design effect (designEffect below), which is 1 when every
 * patient has one row; without patients every row is its own patient (docs/model-updating.md,
 * "Several index dates per patient").
 */
import { fitLogistic } from "../../stats/logistic.ts";
import { type PatientNumbers, patientNumbers, smallSampleFactor, sumByPatient } from "./patients.ts";
import { type Interval, MetricInputError, type Scored, Z95, checkScored } from "./types.ts";

/** An estimate with its 95% interval, its standard error and the patients' design effect in it. */
export type Estimate = Interval & { standardError: number; designEffect: number };

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
function logisticFit(
  x: Float64Array,
  y: ArrayLike<number>,
  slopeFixed?: number,
): { intercept: number; slope: number; information: { aa: number; ab: number; bb: number } } {
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
  let aa = 0, ab = 0, bb = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    const p = sigmoid(a + b * xi);
    const w = p * (1 - p);
    aa += w;
    ab += w * xi;
    bb += w * xi * xi;
  }
  return { intercept: a, slope: b, information: { aa, ab, bb } };
}

const estimate = (value: number, standardError: number): Omit<Estimate, "designEffect"> => ({
  estimate: value,
  lower: value - Z95 * standardError,
  upper: value + Z95 * standardError,
  standardError,
});

function bothOutcomes(data: Scored): void {
  const positives = checkScored(data);
  if (positives === 0 || positives === data.labels.length) {
    throw new MetricInputError("calibration slope needs both outcomes");
  }
}

/**
 * The logistic recalibration line logit P(y) = intercept + slope logit(p), both fitted jointly
 * (Cox 1958): what local recalibration applies to a model's output. With `slopeFixed` only the
 * intercept is fitted, the slope held at that value (1: calibration-in-the-large).
 */
export function calibrationLine(data: Scored, slopeFixed?: number): { intercept: number; slope: number } {
  bothOutcomes(data);
  const { intercept, slope } = logisticFit(Float64Array.from(data.scores as ArrayLike<number>, logit), data.labels, slopeFixed);
  return { intercept, slope };
}

/**
 * The patients' design effect of a statistic whose per-row terms are `terms`: the spread of the
 * terms summed by patient over their spread with every row its own patient, each with its
 * small-sample factor, K/(K - 1) over K patients and n/(n - 1) over n rows. 1 when every patient
 * has one row; m copies of each patient's row give (mK - 1)/(K - 1); NaN with a single patient.
 * The variance under the actual design over the variance of as many independent rows is Kish's
 * design effect (Survey Sampling, 1965); the clustered spread is the cluster-robust (sandwich)
 * meat of Liang and Zeger (Biometrika 1986;73:13).
 */
function designEffect(terms: ArrayLike<number>, patients: PatientNumbers): number {
  let rows = 0;
  for (let i = 0; i < terms.length; i++) rows += (terms[i] as number) ** 2;
  const clustered = sumByPatient(terms, patients).reduce((s, u) => s + u * u, 0);
  return (smallSampleFactor(patients.count) * clustered) / (smallSampleFactor(terms.length) * rows);
}

/**
 * Calibration slope: b in logit P(y) = a + b logit(p) (ideal 1; below 1 means predictions are
 * too extreme). Calibration intercept (calibration-in-the-large): a with b fixed at 1 (ideal 0;
 * positive means the model underestimates risk on average). Van Calster et al., J Clin
 * Epidemiol 2016;74:167.
 *
 * 95% Wald intervals from the observed information of each fit, times the patients' design effect
 * of the estimate: the cluster-robust (sandwich) variance with each patient's rows summed, over the
 * same sandwich with every row its own patient (Liang and Zeger, Biometrika 1986;73:13). With one
 * row per patient the design effect is 1 and the interval the plain Wald one; with a single
 * patient it is unknown (NaN).
 */
export function calibrationSlopeIntercept(data: Scored): { slope: Estimate; intercept: Estimate } {
  bothOutcomes(data);
  const x = Float64Array.from(data.scores as ArrayLike<number>, logit);
  const patients = patientNumbers(data.labels.length, data.clusters);
  const line = logisticFit(x, data.labels);
  const { aa, ab, bb } = line.information;
  const det = aa * bb - ab * ab;
  // The slope's influence on each row: the slope's row of the inverse information, (-ab, aa) / det,
  // times the row's score (y - p)(1, x). Its sum by patient is the sandwich's.
  const slopeTerms = Float64Array.from(x, (xi, i) => (((data.labels[i] as number) - sigmoid(line.intercept + line.slope * xi)) * (aa * xi - ab)) / det);
  const slopeEffect = designEffect(slopeTerms, patients);
  const large = logisticFit(x, data.labels, 1);
  const largeTerms = Float64Array.from(x, (xi, i) => (data.labels[i] as number) - sigmoid(large.intercept + xi));
  const largeEffect = designEffect(largeTerms, patients);
  return {
    slope: { ...estimate(line.slope, Math.sqrt((slopeEffect * aa) / det)), designEffect: slopeEffect },
    intercept: { ...estimate(large.intercept, Math.sqrt(largeEffect / large.information.aa)), designEffect: largeEffect },
  };
}

/**
 * Observed/expected: outcomes over the sum of predicted probabilities (ideal 1; above 1 means
 * the model underestimates). 95% interval O/E x exp(+-1.96 sqrt(deff / O)), treating O as Poisson
 * (Debray et al., BMJ 2017;356:i6460) with deff the patients' design effect of the ratio: its
 * linearised variance over patients, sum_k (O_k - (O/E) E_k)^2 with O_k and E_k a patient's cases
 * and summed risks (Woodruff, J Am Stat Assoc 1971;66:411), over the same sum over rows. With one
 * row per patient deff = 1: the Poisson interval.
 */
export function observedExpected(data: Scored): Interval & { designEffect: number } {
  const observed = checkScored(data);
  let expected = 0;
  for (let i = 0; i < data.scores.length; i++) expected += data.scores[i] as number;
  if (observed === 0 || !(expected > 0)) throw new MetricInputError("observed/expected needs at least one outcome and a positive prediction");
  const ratio = observed / expected;
  const patients = patientNumbers(data.labels.length, data.clusters);
  const effect = designEffect(Float64Array.from(data.labels as ArrayLike<number>, (y, i) => y - ratio * (data.scores[i] as number)), patients);
  const spread = Math.exp(Z95 * Math.sqrt(effect / observed));
  return { estimate: ratio, lower: ratio / spread, upper: ratio * spread, designEffect: effect };
}

/** Harrell's restricted cubic spline terms of x for knots t (linear beyond the outer knots). */
function splineTerms(x: number, knots: readonly number[]): number[] {
  const k = knots.length;
  const last = knots[k - 1] as number;
  const before = knots[k - 2] as number;
  const scale = (last - (knots[0] as number)) ** 2;
  const cube = (v: number) => (v > 0 ? v * v * v : 0);
  const terms: number[] = [];
  for (let j = 0; j < k - 2; j++) {
    const t = knots[j] as number;
    terms.push((cube(x - t) - (cube(x - before) * (last - t)) / (last - before) + (cube(x - last) * (before - t)) / (last - before)) / scale);
  }
  return terms;
}

function quantile(sorted: readonly number[], q: number): number {
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return (sorted[lo] as number) + (at - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/** Knot quantiles for 4 knots (Harrell, Regression Modeling Strategies, 2nd ed., table 2.3). */
const KNOT_QUANTILES = [0.05, 0.35, 0.65, 0.95];

/**
 * Integrated calibration index: the mean absolute difference between each prediction and the
 * smoothed observed risk at that prediction; E50 and E90 are its median and 90th percentile
 * (Austin and Steyerberg, Stat Med 2019;38:4051). The smoothed curve is a logistic regression
 * of the outcome on a restricted cubic spline of logit(p) with 4 knots (the paper's alternative
 * to loess; deterministic and cheap on 100,000 rows); fewer distinct knots fall back to a line.
 */
export function integratedCalibrationIndex(data: Scored): { ici: number; e50: number; e90: number } {
  bothOutcomes(data);
  const n = data.labels.length;
  const x = Array.from(data.scores as ArrayLike<number>, logit);
  const sortedX = [...x].sort((a, b) => a - b);
  const knots = [...new Set(KNOT_QUANTILES.map((q) => quantile(sortedX, q)))];
  const useSpline = knots.length === KNOT_QUANTILES.length;
  const columns = useSpline ? 2 + knots.length - 2 : 2;
  const design = new Float64Array(n * columns);
  const row = (xi: number) => [1, xi, ...(useSpline ? splineTerms(xi, knots) : [])];
  x.forEach((xi, i) => design.set(row(xi), i * columns));
  let beta: Float64Array;
  try {
    beta = fitLogistic({ x: design, y: data.labels, columns }).coefficients;
  } catch (err) {
    throw new MetricInputError(`smoothed calibration curve: ${(err as Error).message}`);
  }
  const gaps = x
    .map((xi, i) => {
      const eta = row(xi).reduce((s, v, j) => s + v * (beta[j] as number), 0);
      return Math.abs(sigmoid(eta) - (data.scores[i] as number));
    })
    .sort((a, b) => a - b);
  return { ici: gaps.reduce((s, g) => s + g, 0) / n, e50: quantile(gaps, 0.5), e90: quantile(gaps, 0.9) };
}

/** Wilson score interval of a proportion (95%). */
export function wilsonInterval(successes: number, n: number): { lower: number; upper: number } {
  if (n === 0) return { lower: 0, upper: 1 };
  const p = successes / n;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

export interface ReliabilityBin {
  count: number;
  meanPredicted: number;
  observedRate: number;
  /** 95% Wilson interval of the observed rate, at the bin's effective count of rows when rows have patients. */
  observedLower: number;
  observedUpper: number;
  minPredicted: number;
  maxPredicted: number;
}

/**
 * Wilson interval of the rate of `rows` (indices into the data) at their effective count: the
 * rows' count divided by the design effect, the patient-clustered variance of the rate over the
 * variance independent rows would give, r(1 - r)/(n - 1) (Kish, Survey Sampling, 1965; the
 * effective-count Wilson limits of SAS PROC SURVEYFREQ). The clustered variance is the rate's
 * linearised variance, K/(K - 1) x sum_k (O_k - r n_k)^2 / n^2 over the K patients with rows in
 * the bin, so with one row per patient the design effect is 1 and the interval Wilson's. A rate of
 * 0 or 1 shows no spread to measure a design effect from; each patient then counts once (Wilson
 * at K: as if a patient's rows were one observation, the most their correlation can cost when
 * the patients have equally many rows). Rows all of one patient with both outcomes give no
 * interval (NaN).
 */
function clusteredRateInterval(data: Scored, rows: readonly number[], cases: number, patients: PatientNumbers): { lower: number; upper: number } {
  const n = rows.length;
  const rate = cases / n;
  const inBin = patientNumbers(n, Array.from(rows, (i) => patients.of[i] as number));
  if (cases === 0 || cases === n) return wilsonInterval(cases === 0 ? 0 : inBin.count, inBin.count);
  const effective = n / designEffect(Array.from(rows, (i) => (data.labels[i] as number) - rate), inBin);
  if (!Number.isFinite(effective)) return { lower: Number.NaN, upper: Number.NaN };
  return wilsonInterval(rate * effective, effective);
}

/**
 * Equal-count bins of predicted probability (rows sorted by prediction, split into `bins`
 * groups as equal as possible). Equal-count, not equal-width: with a 1-year incidence of a few
 * percent nearly every prediction would fall into the first of ten equal-width bins.
 */
export function reliabilityBins(data: Scored, bins = 10): ReliabilityBin[] {
  checkScored(data);
  const n = data.labels.length;
  const patients = patientNumbers(n, data.clusters);
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
    const interval = clusteredRateInterval(data, order.slice(start, end), sy, patients);
    out.push({
      count: end - start,
      meanPredicted: sp / (end - start),
      observedRate: sy / (end - start),
      observedLower: interval.lower,
      observedUpper: interval.upper,
      minPredicted: data.scores[order[start] as number] as number,
      maxPredicted: data.scores[order[end - 1] as number] as number,
    });
  }
  return out;
}

/** Expected calibration error: count-weighted mean |mean predicted - observed rate| over bins. */
export function expectedCalibrationError(data: Scored, bins = 10): number {
  if (data.labels.length === 0) throw new MetricInputError("ECE of no rows");
  return eceOfBins(reliabilityBins(data, bins));
}

/** ECE of reliability bins already made (metricSet has them for the report): each bin's gap
 * between predicted and observed, weighted by its share of the rows. */
export function eceOfBins(bins: readonly ReliabilityBin[]): number {
  const n = bins.reduce((s, b) => s + b.count, 0);
  if (n === 0) throw new MetricInputError("ECE of no rows");
  return bins.reduce((s, b) => s + (b.count / n) * Math.abs(b.meanPredicted - b.observedRate), 0);
}
