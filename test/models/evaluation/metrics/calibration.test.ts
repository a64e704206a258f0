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

  it("gives the slope's standard error from the information matrix", () => {
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

  it("observed/expected: 2 cases over 0.1 + 0.4 + 0.35 + 0.8 = 1.65 predicted, interval exp(+-1.96 / sqrt 2)", () => {
    const oe = observedExpected({ scores, labels });
    expect(oe.estimate).toBeCloseTo(2 / 1.65, 12);
    expect(oe.lower).toBeCloseTo((2 / 1.65) * Math.exp(-1.959963984540054 / Math.SQRT2), 12);
    expect(oe.upper).toBeCloseTo((2 / 1.65) * Math.exp(1.959963984540054 / Math.SQRT2), 12);
    expect(() => observedExpected({ scores, labels: [0, 0, 0, 0] })).toThrow(/at least one outcome/);
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
