import { describe, expect, it } from "vitest";
import {
  brier,
  calibrationSlopeIntercept,
  expectedCalibrationError,
  logit,
  reliabilityBins,
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
    const { slope } = calibrationSlopeIntercept({ scores, labels });
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
    expect(calibrationSlopeIntercept({ scores, labels }).intercept).toBeCloseTo(interceptFor(1), 8);
  });

  it("finds slope 1 and intercept 0 for calibrated predictions, slope 1/2 for doubled logits", () => {
    const good = calibrationSlopeIntercept(simulate(20000, (p) => p));
    expect(good.slope).toBeCloseTo(1, 1);
    expect(good.intercept).toBeCloseTo(0, 1);
    const extreme = calibrationSlopeIntercept(simulate(20000, (p) => sigmoid(2 * logit(p))));
    expect(extreme.slope).toBeCloseTo(0.5, 1);
    expect(expectedCalibrationError(simulate(20000, (p) => p))).toBeLessThan(0.02);
    expect(expectedCalibrationError(simulate(20000, (p) => p / 2))).toBeGreaterThan(0.1);
  });

  it("converges from a poor start: few cases and predictions far too low", () => {
    const rand = prng(8);
    const scores = Array.from({ length: 300 }, () => 1e-4 + rand() * 3e-3);
    const labels = scores.map((p, i) => (i % 100 === 0 || p > 3e-3 ? 1 : 0));
    const { slope, intercept } = calibrationSlopeIntercept({ scores, labels });
    expect(Number.isFinite(slope)).toBe(true);
    // The fixed-slope fit's score equation: observed cases = expected cases after the shift.
    const expected = scores.reduce((s, p) => s + sigmoid(intercept + logit(p)), 0);
    expect(expected).toBeCloseTo(labels.reduce((s: number, y) => s + y, 0), 6);
    expect(intercept).toBeGreaterThan(2);
  });

  it("refuses a calibration fit with one outcome", () => {
    expect(() => calibrationSlopeIntercept({ scores: [0.2, 0.3], labels: [0, 0] })).toThrow(/both outcomes/);
  });
});
