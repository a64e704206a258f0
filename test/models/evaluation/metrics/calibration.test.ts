import { describe, expect, it } from "vitest";
import {
  brier,
  calibrationSlopeIntercept,
  calibrationLine,
  expectedCalibrationError,
  integratedCalibrationIndex,
  logit,
  observedExpected,
  reliabilityBins,
  wilsonInterval,
} from "../../../../models/evaluation/metrics/calibration.ts";
import { prng } from "../../../shared/inference/fixtures.ts";

const labels = [0, 0, 1, 1];
const scores = [0.1, 0.4, 0.35, 0.8];

/** n rows with true probabilities p and outcomes drawn from them; `distort` changes the
 * reported prediction (identity: perfectly calibrated). */
function simulate(n: number, distort: (p: number) => number) {
  const rand = prng(3);
  const s: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = 0.02 + 0.9 * rand();
    y.push(rand() < p ? 1 : 0);
    s.push(distort(p));
  }
  return { scores: s, labels: y };
}
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe("calibration metrics", () => {
  it("Brier score: (0.01 + 0.16 + 0.4225 + 0.04) / 4", () => {
    expect(brier({ scores, labels })).toBeCloseTo(0.158125, 12);
  });

  it("bins by equal counts and weights ECE by bin size", () => {
    const bins = reliabilityBins({ scores, labels }, 2);
    expect(bins.map((b) => [b.count, b.observedRate, b.minPredicted, b.maxPredicted])).toEqual([
      [2, 0.5, 0.1, 0.35],
      [2, 0.5, 0.4, 0.8],
    ]);
    expect(bins[0]!.meanPredicted).toBeCloseTo(0.225, 12);
    expect(bins[1]!.meanPredicted).toBeCloseTo(0.6, 12);
    // 0.5 x |0.225 - 0.5| + 0.5 x |0.6 - 0.5|
    expect(expectedCalibrationError({ scores, labels }, 2)).toBeCloseTo(0.1875, 12);
  });

  it("fits the logistic calibration line: the score equations hold at the solution", () => {
    const slope = calibrationSlopeIntercept({ scores, labels }).slope.estimate;
    // Refit the intercept for that slope by hand-checking sum(y - p) = 0 and sum((y - p) x) = 0.
    const x = scores.map(logit);
    const interceptFor = (b: number) => {
      let a = 0;
      for (let k = 0; k < 200; k++) {
        const g = labels.reduce((s, y, i) => s + y - sigmoid(a + b * x[i]!), 0);
        const h = x.reduce((s, xi) => s + sigmoid(a + b * xi) * (1 - sigmoid(a + b * xi)), 0);
        a += g / h;
      }
      return a;
    };
    const a = interceptFor(slope);
    const gradB = labels.reduce((s, y, i) => s + (y - sigmoid(a + slope * x[i]!)) * x[i]!, 0);
    expect(Math.abs(gradB)).toBeLessThan(1e-8);
    expect(calibrationSlopeIntercept({ scores, labels }).intercept.estimate).toBeCloseTo(interceptFor(1), 8);
    // The joint line shares the slope; its intercept solves the score equation at that slope.
    expect(calibrationLine({ scores, labels }).slope).toBeCloseTo(slope, 10);
    expect(calibrationLine({ scores, labels }).intercept).toBeCloseTo(a, 8);
  });

  it("finds slope 1 and intercept 0 for calibrated predictions, slope 1/2 for doubled logits", () => {
    const good = calibrationSlopeIntercept(simulate(20000, (p) => p));
    expect(good.slope.estimate).toBeCloseTo(1, 1);
    expect(good.intercept.estimate).toBeCloseTo(0, 1);
    expect(good.slope.lower).toBeLessThan(1);
    expect(good.slope.upper).toBeGreaterThan(1);
    const extreme = calibrationSlopeIntercept(simulate(20000, (p) => sigmoid(2 * logit(p))));
    expect(extreme.slope.estimate).toBeCloseTo(0.5, 1);
    expect(extreme.slope.upper).toBeLessThan(0.8);
    expect(expectedCalibrationError(simulate(20000, (p) => p))).toBeLessThan(0.02);
    expect(expectedCalibrationError(simulate(20000, (p) => p / 2))).toBeGreaterThan(0.1);
  });

  it("converges from a poor start: few cases and predictions far too low", () => {
    const rand = prng(8);
    const scores = Array.from({ length: 300 }, () => 1e-4 + rand() * 3e-3);
    const labels = scores.map((p, i) => (i % 100 === 0 || p > 3e-3 ? 1 : 0));
    const { slope, intercept: large } = calibrationSlopeIntercept({ scores, labels });
    const intercept = large.estimate;
    expect(Number.isFinite(slope.estimate)).toBe(true);
    // The fixed-slope fit's score equation: observed cases = expected cases after the shift.
    const expected = scores.reduce((s, p) => s + sigmoid(intercept + logit(p)), 0);
    expect(expected).toBeCloseTo(labels.reduce((s: number, y) => s + y, 0), 6);
    expect(intercept).toBeGreaterThan(2);
  });

  it("gives the slope's standard error from the information matrix when every row is its own patient", () => {
    // Two-parameter information at the fitted line; SE(slope) = sqrt(I_aa / det I).
    const { slope } = calibrationSlopeIntercept({ scores, labels });
    const { intercept: a, slope: b } = calibrationLine({ scores, labels });
    const x = scores.map(logit);
    let aa = 0, ab = 0, bb = 0;
    x.forEach((xi) => {
      const w = sigmoid(a + b * xi) * (1 - sigmoid(a + b * xi));
      aa += w;
      ab += w * xi;
      bb += w * xi * xi;
    });
    expect(slope.standardError).toBeCloseTo(Math.sqrt(aa / (aa * bb - ab * ab)), 8);
    expect(slope.upper - slope.estimate).toBeCloseTo(1.959963984540054 * slope.standardError, 10);
  });

  // Two predicted risks, 20% (logit x1 = -ln 4) and 50% (logit 0), four rows each; 1 of the four
  // at 20% and 2 of the four at 50% are cases. The line then passes through both observed rates:
  // slope ln 3 / ln 4 (logit 25% = -ln 3), intercept 0, fitted risks 25% and 50%; information
  // 1.75, 0.75 x1, 0.75 x1^2, so the plain Wald variance of the slope is 1.75 / (0.75 x1^2) =
  // 7/(3 x1^2). Four patients, each with one row at 20% and one at 50%: P1 case + case, P2
  // control + case, P3 and P4 control + control. Their scores (sums of (y - p)(1, x)): P1
  // (1.25, 0.75 x1), P2 (0.25, -0.25 x1), P3 = P4 (-0.75, -0.25 x1); meat 2.75, 1.25 x1,
  // 0.75 x1^2. The slope's row of the inverse information is (-1/x1, 7/(3 x1^2)), so the patients'
  // sandwich is (2.75 - 2 x 1.25 x 7/3 + 0.75 x 49/9) / x1^2 = 1 / x1^2, times 4/3 for four
  // patients. With every row its own patient the meat equals the information here (the fitted
  // risks are the observed rates): 7/(3 x1^2), times 8/7 = 8/(3 x1^2). Design effect
  // (4/3) / (8/3) = 1/2, so the patients' variance is 7/(6 x1^2).
  const twoRisks = {
    scores: [0.2, 0.2, 0.2, 0.2, 0.5, 0.5, 0.5, 0.5],
    labels: [1, 0, 0, 0, 1, 1, 0, 0],
    clusters: [1, 2, 3, 4, 1, 2, 3, 4],
  };

  it("calibration slope by patient: the two-risk example worked by hand", () => {
    const x1 = -Math.log(4);
    const { slope } = calibrationSlopeIntercept(twoRisks);
    expect(slope.estimate).toBeCloseTo(Math.log(3) / Math.log(4), 8);
    expect(slope.designEffect).toBeCloseTo(0.5, 8);
    expect(slope.standardError).toBeCloseTo(Math.sqrt(7 / 6 / (x1 * x1)), 8);
    expect(slope.lower).toBeCloseTo(slope.estimate - (1.959963984540054 * Math.sqrt(7 / 6)) / Math.log(4), 8);
    const { clusters: _, ...rows } = twoRisks;
    expect(calibrationSlopeIntercept(rows).slope.standardError).toBeCloseTo(Math.sqrt(7 / 3 / (x1 * x1)), 8);
    expect(calibrationSlopeIntercept(rows).slope.designEffect).toBeCloseTo(1, 12);
  });

  it("calibration intercept (slope fixed at 1) by patient: the two-risk example worked by hand", () => {
    // a solves 4 sigmoid(a - ln 4) + 4 sigmoid(a) = 3: with t = e^a, t/(4+t) + t/(1+t) = 3/4,
    // t^2 + t - 2.4 = 0. Information I = 4 (pA(1-pA) + pB(1-pB)); plain variance 1 / I. Each
    // patient's score is sum(y - p) with pA + pB = 3/4: 1.25, 0.25, -0.75, -0.75 (squares 2.75,
    // times 4/3); the rows' (1 - pA)^2 + 3 pA^2 + 2 (1 - pB)^2 + 2 pB^2, times 8/7.
    const t = (-1 + Math.sqrt(10.6)) / 2;
    const [pA, pB] = [t / (4 + t), t / (1 + t)];
    const information = 4 * (pA * (1 - pA) + pB * (1 - pB));
    const rowMeat = (1 - pA) ** 2 + 3 * pA ** 2 + 2 * (1 - pB) ** 2 + 2 * pB ** 2;
    const effect = ((4 / 3) * 2.75) / ((8 / 7) * rowMeat);
    const { intercept } = calibrationSlopeIntercept(twoRisks);
    expect(intercept.estimate).toBeCloseTo(Math.log(t), 8);
    expect(intercept.designEffect).toBeCloseTo(effect, 8);
    expect(intercept.standardError).toBeCloseTo(Math.sqrt(effect / information), 8);
    const { clusters: _, ...rows } = twoRisks;
    expect(calibrationSlopeIntercept(rows).intercept.standardError).toBeCloseTo(Math.sqrt(1 / information), 8);
  });

  it("observed/expected: 2 cases over 0.1 + 0.4 + 0.35 + 0.8 = 1.65 predicted, interval exp(+-1.96 / sqrt 2)", () => {
    const oe = observedExpected({ scores, labels });
    expect(oe.estimate).toBeCloseTo(2 / 1.65, 12);
    expect(oe.lower).toBeCloseTo((2 / 1.65) * Math.exp(-1.959963984540054 / Math.SQRT2), 12);
    expect(oe.upper).toBeCloseTo((2 / 1.65) * Math.exp(1.959963984540054 / Math.SQRT2), 12);
    expect(() => observedExpected({ scores, labels: [0, 0, 0, 0] })).toThrow(/at least one outcome/);
  });

  it("observed/expected by patient: the Poisson interval with the patients' design effect of the ratio, worked by hand", () => {
    // Three patients of two rows: O = 3 cases, E = 0.1 + 0.3 + 0.2 + 0.4 + 0.5 + 0.5 = 2, O/E 1.5.
    // Each patient's O_k - 1.5 E_k: 1 - 0.6 = 0.4, 1 - 0.9 = 0.1, 1 - 1.5 = -0.5; squares 0.42,
    // times 3/2 = 0.63. Each row's y - 1.5 p: 0.85, -0.45, -0.3, 0.4, 0.25, -0.75; squares 1.8,
    // times 6/5 = 2.16. Design effect 0.63 / 2.16; SE(ln O/E) = sqrt(deff / 3).
    const data = { scores: [0.1, 0.3, 0.2, 0.4, 0.5, 0.5], labels: [1, 0, 0, 1, 1, 0], clusters: [1, 1, 2, 2, 3, 3] };
    const z = 1.959963984540054;
    const effect = 0.63 / 2.16;
    const oe = observedExpected(data);
    expect(oe.estimate).toBeCloseTo(1.5, 12);
    expect(oe.designEffect).toBeCloseTo(effect, 12);
    expect(oe.lower).toBeCloseTo(1.5 * Math.exp(-z * Math.sqrt(effect / 3)), 10);
    expect(oe.upper).toBeCloseTo(1.5 * Math.exp(z * Math.sqrt(effect / 3)), 10);
    const { clusters: _, ...rows } = data;
    const byRow = observedExpected(rows);
    expect(byRow.designEffect).toBeCloseTo(1, 12);
    expect(byRow.upper).toBeCloseTo(1.5 * Math.exp(z / Math.sqrt(3)), 10);
  });

  it("duplicated patients: every calibration interval is wider than the rows' by sqrt((mK - 1) / (K - 1))", () => {
    // K patients with one row each, then each patient's row copied m times (m rows of one
    // patient). The patients' sums are m times the single rows', so the design effect is
    // m (K/(K-1)) / (mK/(mK-1)) = (mK - 1)/(K - 1), about m; the plain variances of the copied
    // rows are those of the K rows over m, so the patient intervals are the K rows' times
    // sqrt((mK - 1)/(m(K - 1))), about 1.
    const once = simulate(500, (p) => Math.min(0.99, p * 0.8));
    const K = once.labels.length;
    const m = 3;
    const copy = <T>(a: readonly T[]) => a.flatMap((v) => Array.from({ length: m }, () => v));
    const rows = { scores: copy(once.scores), labels: copy(once.labels) };
    const patients = { ...rows, clusters: copy(once.labels.map((_, i) => i)) };
    const factor = Math.sqrt((m * K - 1) / (K - 1));
    const logWidth = (v: { lower: number; upper: number }) => Math.log(v.upper / v.lower);
    expect(observedExpected(patients).designEffect).toBeCloseTo(factor ** 2, 9);
    expect(logWidth(observedExpected(patients)) / logWidth(observedExpected(rows))).toBeCloseTo(factor, 9);
    expect(logWidth(observedExpected(patients)) / logWidth(observedExpected(once))).toBeCloseTo(factor / Math.sqrt(m), 9);
    const [byPatient, byRow, single] = [patients, rows, once].map((d) => calibrationSlopeIntercept(d));
    expect(byPatient!.slope.standardError / byRow!.slope.standardError).toBeCloseTo(factor, 9);
    expect(byPatient!.intercept.standardError / byRow!.intercept.standardError).toBeCloseTo(factor, 9);
    // Another fit (Newton stops within 1e-10 of the solution): equal to 7 decimals.
    expect(byPatient!.slope.standardError / single!.slope.standardError).toBeCloseTo(factor / Math.sqrt(m), 7);
    expect(byPatient!.slope.estimate).toBeCloseTo(single!.slope.estimate, 7);
  });

  it("gives no calibration interval when all the rows are one patient's: their spread cannot be seen", () => {
    const onePatient = { scores, labels, clusters: [7, 7, 7, 7] };
    const oe = observedExpected(onePatient);
    expect(oe.estimate).toBeCloseTo(2 / 1.65, 12);
    expect([oe.lower, oe.upper].every(Number.isNaN)).toBe(true);
    expect(Number.isNaN(calibrationSlopeIntercept(onePatient).slope.standardError)).toBe(true);
  });

  it("reliability bins: the observed rate's Wilson interval at the patients' effective count", () => {
    // One bin of 6 rows, 3 cases, in patients {case, case}, {case, control}, {control, control}:
    // rate 1/2; per patient O_k - n_k / 2 = 1, 0, -1, so the clustered variance of the rate is
    // 3/2 x 2 / 6^2 = 1/12, against 1/2 x 1/2 / (6 - 1) = 1/20 for independent rows: design
    // effect 5/3, effective count 6 / (5/3) = 3.6, Wilson at 1.8 of 3.6.
    const bin = { scores: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], labels: [1, 1, 1, 0, 0, 0], clusters: [1, 1, 2, 2, 3, 3] };
    const [b] = reliabilityBins(bin, 1);
    const expected = wilsonInterval(1.8, 3.6);
    expect(b!.observedLower).toBeCloseTo(expected.lower, 10);
    expect(b!.observedUpper).toBeCloseTo(expected.upper, 10);
    // Without patients: Wilson at 3 of 6.
    const { clusters: _, ...rows } = bin;
    expect(reliabilityBins(rows, 1)[0]!.observedUpper).toBeCloseTo(wilsonInterval(3, 6).upper, 12);
    // No case in the bin: no spread to measure; each of the 3 patients counts once (0 of 3), where
    // the 6 rows taken as independent give 0 of 6.
    const none = reliabilityBins({ ...bin, labels: [0, 0, 0, 0, 0, 0] }, 1)[0]!;
    expect(none.observedUpper).toBeCloseTo(wilsonInterval(0, 3).upper, 12);
    expect(reliabilityBins({ ...rows, labels: [0, 0, 0, 0, 0, 0] }, 1)[0]!.observedUpper).toBeCloseTo(wilsonInterval(0, 6).upper, 12);
    // Duplicated patients (each row 4 times, the 4 copies one patient): the design effect of a bin
    // of n rows with rate r is (r(1-r)/(n-1)) / (r(1-r)/(4n-1)) = (4n - 1)/(n - 1), so its
    // effective count is 4n (n - 1) / (4n - 1) whatever its rows' outcomes.
    const once = simulate(400, (p) => p);
    const copy = <T>(a: readonly T[]) => a.flatMap((v) => [v, v, v, v]);
    const copied = { scores: copy(once.scores), labels: copy(once.labels), clusters: copy(once.labels.map((_, i) => i)) };
    const bins = reliabilityBins(copied, 10);
    expect(bins).toHaveLength(10);
    bins.forEach((c) => {
      const n = c.count / 4;
      const effective = (4 * n * (n - 1)) / (4 * n - 1);
      const w = wilsonInterval(c.observedRate * effective, effective);
      expect(c.observedLower).toBeCloseTo(w.lower, 10);
      expect(c.observedUpper).toBeCloseTo(w.upper, 10);
      expect(c.observedUpper - c.observedLower).toBeGreaterThan(wilsonInterval(c.observedRate * c.count, c.count).upper - wilsonInterval(c.observedRate * c.count, c.count).lower);
    });
  });

  it("a model that always answers almost 0 passes an ECE threshold at low prevalence, but not O/E", () => {
    const rand = prng(5);
    const labels = Array.from({ length: 20000 }, () => (rand() < 0.003 ? 1 : 0));
    const scores = labels.map(() => 1e-6);
    expect(expectedCalibrationError({ scores, labels })).toBeLessThan(0.02);
    expect(observedExpected({ scores, labels }).lower).toBeGreaterThan(100);
  });

  it("ICI, E50, E90: near 0 for calibrated risks, about the mean gap for halved risks", () => {
    const good = integratedCalibrationIndex(simulate(20000, (p) => p));
    expect(good.ici).toBeLessThan(0.01);
    const halved = simulate(20000, (p) => p / 2);
    const ici = integratedCalibrationIndex(halved);
    // True risk p, prediction p/2: the gap is p/2 = the prediction itself.
    const meanGap = halved.scores.reduce((s, q) => s + q, 0) / halved.scores.length;
    expect(ici.ici).toBeCloseTo(meanGap, 1);
    expect(ici.e50).toBeLessThan(ici.e90);
    expect(ici.e90).toBeGreaterThan(ici.ici);
  });

  it("ICI follows a curved miscalibration that a line in logit(p) cannot", () => {
    // Predictions uniform on [0.05, 0.95], true risk min(p, 0.5): the gap is p - 0.5 above 0.5,
    // so ICI = integral of (p - 0.5) over [0.5, 0.95] / 0.9 = 0.45^2 / 2 / 0.9 = 0.1125.
    const rand = prng(11);
    const scores: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 40000; i++) {
      const p = 0.05 + 0.9 * rand();
      scores.push(p);
      labels.push(rand() < Math.min(p, 0.5) ? 1 : 0);
    }
    // The spline smooths the kink a little (0.119 here); a line in logit(p) gives 0.146.
    expect(Math.abs(integratedCalibrationIndex({ scores, labels }).ici - 0.1125)).toBeLessThan(0.01);
  });

  it("Wilson intervals: 0 of 10 up to 27.8%, 5 of 10 from 23.7% to 76.3%", () => {
    expect(wilsonInterval(0, 10).lower).toBe(0);
    expect(wilsonInterval(0, 10).upper).toBeCloseTo(0.2775, 4);
    expect(wilsonInterval(5, 10).lower).toBeCloseTo(0.2366, 4);
    expect(wilsonInterval(5, 10).upper).toBeCloseTo(0.7634, 4);
    const bins = reliabilityBins({ scores, labels }, 2);
    expect(bins[0]!.observedLower).toBeCloseTo(wilsonInterval(1, 2).lower, 12);
  });

  it("refuses a calibration fit with one outcome", () => {
    expect(() => calibrationSlopeIntercept({ scores: [0.2, 0.3], labels: [0, 0] })).toThrow(/both outcomes/);
  });
});
