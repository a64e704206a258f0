/**
 * Discrimination: AUROC with DeLong's variance (and the paired DeLong test for the difference
 * between two models scored on the same rows), and AUPRC as average precision.
 *
 * DeLong et al., Biometrics 1988;44:837. Computed with midranks (Sun & Xu, IEEE Signal Process
 * Lett 2014;21:1389), O(n log n), ties counted as one half.
 *
 * A patient with several index dates gives several correlated rows, and DeLong's variance, which
 * takes rows as independent, is then too small. With `clusters` (the patient of each row) the
 * structural components are summed by patient and the variance is Obuchowski's for clustered
 * data (Biometrics 1997;53:567), which equals DeLong's when every patient has one row.
 */
import { patientNumbers, smallSampleFactor } from "./patients.ts";
import { type Interval, MetricInputError, type Scored, Z95, checkScored } from "./types.ts";

/** Midranks (1-based, ties share the mean rank) of `values`. */
export function midranks(values: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Float64Array(values.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1] as number] === values[order[i] as number]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k] as number] = rank;
    i = j + 1;
  }
  return ranks;
}

/** DeLong structural components of one model: per-case V10 and per-control V01, in row order. */
interface Components {
  auc: number;
  v10: Float64Array;
  v01: Float64Array;
}

function components(data: Scored): Components {
  const positives = checkScored(data);
  const m = positives;
  const n = data.labels.length - positives;
  if (m === 0 || n === 0) throw new MetricInputError(`AUROC needs both outcomes (cases ${m}, controls ${n})`);
  const cases: number[] = [];
  const controls: number[] = [];
  for (let i = 0; i < data.labels.length; i++) (data.labels[i] === 1 ? cases : controls).push(data.scores[i] as number);
  const all = midranks([...cases, ...controls]);
  const caseRanks = midranks(cases);
  const controlRanks = midranks(controls);
  const v10 = new Float64Array(m);
  const v01 = new Float64Array(n);
  for (let i = 0; i < m; i++) v10[i] = ((all[i] as number) - (caseRanks[i] as number)) / n;
  for (let j = 0; j < n; j++) v01[j] = 1 - ((all[m + j] as number) - (controlRanks[j] as number)) / m;
  const auc = v10.reduce((s, v) => s + v, 0) / m;
  return { auc, v10, v01 };
}

/**
 * Whose each row is (dense patient numbers 0..P-1; every row its own patient when none are given)
 * and the counts that scale the variance: from the labels and the patients alone, so the two
 * models of a comparison share them.
 */
interface Patients {
  of: Int32Array;
  count: number;
  cases: number;
  controls: number;
  withCases: number;
  withControls: number;
}

function patientsOf(labels: ArrayLike<number>, clusters: ArrayLike<number> | undefined): Patients {
  const { of, count } = patientNumbers(labels.length, clusters);
  const hasCase = new Uint8Array(count);
  const hasControl = new Uint8Array(count);
  let cases = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) {
      hasCase[of[i] as number] = 1;
      cases += 1;
    } else hasControl[of[i] as number] = 1;
  }
  const sum = (a: Uint8Array) => a.reduce((total, v) => total + v, 0);
  return { of, count, cases, controls: labels.length - cases, withCases: sum(hasCase), withControls: sum(hasControl) };
}

/** Per patient: the sum of its cases' V10 minus (its cases x AUC), and the same for its controls
 * (Obuchowski 1997). */
interface Residuals {
  r10: Float64Array;
  r01: Float64Array;
}

function residuals(labels: ArrayLike<number>, c: Components, patients: Patients): Residuals {
  const r10 = new Float64Array(patients.count);
  const r01 = new Float64Array(patients.count);
  let caseRow = 0;
  let controlRow = 0;
  for (let i = 0; i < labels.length; i++) {
    const k = patients.of[i] as number;
    if (labels[i] === 1) r10[k] = (r10[k] as number) + (c.v10[caseRow++] as number) - c.auc;
    else r01[k] = (r01[k] as number) + (c.v01[controlRow++] as number) - c.auc;
  }
  return { r10, r01 };
}

const dot = (a: Float64Array, b: Float64Array): number => a.reduce((s, v, i) => s + v * (b[i] as number), 0);
/**
 * Covariance of two AUROCs on the same rows (the variance when x = y), Obuchowski 1997. With all
 * the cases (or controls) in one patient their spread cannot be seen (smallSampleFactor), so the
 * variance is unknown (NaN, shown as n/a), not zero: a zero made a single case's AUROC interval
 * as narrow as if that case were certain.
 */
function clusteredCovariance(p: Patients, x: Residuals, y: Residuals): number {
  const { cases: m, controls: n } = p;
  return (
    (smallSampleFactor(p.withCases) * dot(x.r10, y.r10)) / (m * m) +
    (smallSampleFactor(p.withControls) * dot(x.r01, y.r01)) / (n * n) +
    (smallSampleFactor(p.count) * (dot(x.r10, y.r01) + dot(x.r01, y.r10))) / (m * n)
  );
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/**
 * AUROC with a DeLong 95% confidence interval (normal approximation, clamped to [0, 1]), by
 * patient when `data.clusters` is given; the interval is NaN when it cannot be estimated.
 */
export function auroc(data: Scored): Interval & { standardError: number } {
  const c = components(data);
  const patients = patientsOf(data.labels, data.clusters);
  const r = residuals(data.labels, c, patients);
  const se = Math.sqrt(Math.max(0, clusteredCovariance(patients, r, r)));
  return { estimate: c.auc, lower: clamp01(c.auc - Z95 * se), upper: clamp01(c.auc + Z95 * se), standardError: se };
}

/**
 * AUROC(a) - AUROC(b) for two models scored on the same rows: paired DeLong CI and p-value
 * (by patient when `clusters` gives the patient of each row).
 */
export function aurocDifference(
  labels: ArrayLike<number>,
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  clusters?: ArrayLike<number>,
): Interval & { standardError: number; pValue: number } {
  const a = components({ scores: scoresA, labels });
  const b = components({ scores: scoresB, labels });
  const patients = patientsOf(labels, clusters);
  const [ra, rb] = [residuals(labels, a, patients), residuals(labels, b, patients)];
  const covariance = (x: Residuals, y: Residuals) => clusteredCovariance(patients, x, y);
  const variance = covariance(ra, ra) + covariance(rb, rb) - 2 * covariance(ra, rb);
  const se = Math.sqrt(Math.max(0, variance));
  const diff = a.auc - b.auc;
  const pValue = se === 0 ? (diff === 0 ? 1 : 0) : 2 * normalCdf(-Math.abs(diff) / se);
  return { estimate: diff, lower: diff - Z95 * se, upper: diff + Z95 * se, standardError: se, pValue };
}

/**
 * Complementary error function with a relative error below 1.2e-7 for every x (Press et al.,
 * Numerical Recipes, 2nd ed., section 6.2, erfcc): relative, so that a tail probability of 1e-20
 * is still right to 7 digits, where an absolute-error erf gives 1 - erf = noise.
 */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const tail = t * Math.exp(-z * z + poly);
  return x >= 0 ? tail : 2 - tail;
}

/** Standard normal CDF, accurate in relative terms in the lower tail (p-values use that tail). */
export function normalCdf(z: number): number {
  return erfc(-z / Math.SQRT2) / 2;
}

/**
 * Area under the precision-recall curve as average precision: the sum over distinct score
 * thresholds (highest first) of precision x the recall gained there. Tied scores enter together.
 */
export function auprc(data: Scored): number {
  const positives = checkScored(data);
  if (positives === 0) throw new MetricInputError("AUPRC needs at least one case");
  const order = Array.from({ length: data.scores.length }, (_, i) => i).sort(
    (a, b) => (data.scores[b] as number) - (data.scores[a] as number),
  );
  let tp = 0;
  let seen = 0;
  let ap = 0;
  let i = 0;
  while (i < order.length) {
    const threshold = data.scores[order[i] as number];
    let gained = 0;
    while (i < order.length && data.scores[order[i] as number] === threshold) {
      gained += data.labels[order[i] as number] as number;
      seen++;
      i++;
    }
    tp += gained;
    if (gained > 0) ap += (gained / positives) * (tp / seen);
  }
  return ap;
}
