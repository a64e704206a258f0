/**
 * Discrimination: AUROC with DeLong's variance (and the paired DeLong test for the difference
 * between two models scored on the same rows), and AUPRC as average precision.
 *
 * DeLong et al., Biometrics 1988;44:837. Computed with midranks (Sun & Xu, IEEE Signal Process
 * Lett 2014;21:1389), O(n log n), ties counted as one half.
 */
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

/** DeLong structural components of one model: per-case V10 and per-control V01. */
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

function covariance(a: Float64Array, b: Float64Array, meanA: number, meanB: number): number {
  if (a.length < 2) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] as number) - meanA) * ((b[i] as number) - meanB);
  return s / (a.length - 1);
}

function delongVariance(x: Components, y: Components): number {
  return covariance(x.v10, y.v10, x.auc, y.auc) / x.v10.length + covariance(x.v01, y.v01, x.auc, y.auc) / x.v01.length;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** AUROC with a DeLong 95% confidence interval (normal approximation, clamped to [0, 1]). */
export function auroc(data: Scored): Interval & { standardError: number } {
  const c = components(data);
  const se = Math.sqrt(delongVariance(c, c));
  return { estimate: c.auc, lower: clamp01(c.auc - Z95 * se), upper: clamp01(c.auc + Z95 * se), standardError: se };
}

/** AUROC(a) - AUROC(b) for two models scored on the same rows: paired DeLong CI and p-value. */
export function aurocDifference(
  labels: ArrayLike<number>,
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
): Interval & { standardError: number; pValue: number } {
  const a = components({ scores: scoresA, labels });
  const b = components({ scores: scoresB, labels });
  const variance = delongVariance(a, a) + delongVariance(b, b) - 2 * delongVariance(a, b);
  const se = Math.sqrt(Math.max(0, variance));
  const diff = a.auc - b.auc;
  const pValue = se === 0 ? (diff === 0 ? 1 : 0) : 2 * (1 - normalCdf(Math.abs(diff) / se));
  return { estimate: diff, lower: diff - Z95 * se, upper: diff + Z95 * se, standardError: se, pValue };
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 erf approximation, error < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
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
