import { describe, expect, it } from "vitest";
import { auprc, auroc, aurocDifference, midranks, normalCdf } from "../../../../models/evaluation/metrics/discrimination.ts";
import { MetricInputError } from "../../../../models/evaluation/metrics/types.ts";

// The textbook 4-row example: cases score 0.35 and 0.8, controls 0.1 and 0.4.
const labels = [0, 0, 1, 1];
const scores = [0.1, 0.4, 0.35, 0.8];

describe("discrimination metrics", () => {
  it("midranks share tied ranks", () => {
    expect(Array.from(midranks([3, 1, 3, 2]))).toEqual([3.5, 1, 3.5, 2]);
  });

  it("AUROC counts concordant case-control pairs (3 of 4) with DeLong's standard error", () => {
    const r = auroc({ scores, labels });
    expect(r.estimate).toBe(0.75);
    // V10 = [0.5, 1], V01 = [1, 0.5]: both sample variances 0.125; var = 0.125/2 + 0.125/2.
    expect(r.standardError).toBeCloseTo(Math.sqrt(0.125), 12);
    expect(r.lower).toBeCloseTo(0.75 - 1.959964 * Math.sqrt(0.125), 5);
    expect(r.upper).toBe(1);
  });

  it("counts ties as one half", () => {
    expect(auroc({ scores: [0.5, 0.5, 0.2], labels: [1, 0, 0] }).estimate).toBe(0.75);
  });

  it("paired DeLong difference against a perfect model", () => {
    const d = aurocDifference(labels, scores, [0.1, 0.2, 0.3, 0.4]);
    expect(d.estimate).toBe(-0.25);
    // The perfect model's components are constant, so the variance is the first model's alone.
    expect(d.standardError).toBeCloseTo(Math.sqrt(0.125), 12);
    expect(d.pValue).toBeCloseTo(2 * (1 - normalCdf(0.25 / Math.sqrt(0.125))), 9);
    expect(d.pValue).toBeCloseTo(0.4795, 3);
    const same = aurocDifference(labels, scores, scores);
    expect([same.estimate, same.standardError, same.pValue]).toEqual([0, 0, 1]);
  });

  it("normalCdf matches known quantiles", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
  });

  it("AUPRC is average precision: 1 x 1/2 + 2/3 x 1/2", () => {
    expect(auprc({ scores, labels })).toBeCloseTo(5 / 6, 12);
    // Tied scores enter together: both rows at 0.9 give precision 1/2 at recall 1.
    expect(auprc({ scores: [0.9, 0.9], labels: [1, 0] })).toBe(0.5);
  });

  it("rejects inputs it cannot score", () => {
    expect(() => auroc({ scores: [0.1, 0.2], labels: [1, 1] })).toThrow(/both outcomes/);
    expect(() => auroc({ scores: [0.1], labels: [1, 0] })).toThrow(MetricInputError);
    expect(() => auroc({ scores: [0.1, 0.2], labels: [1, 2] })).toThrow(/label 1 is 2/);
    expect(() => auprc({ scores: [0.1], labels: [0] })).toThrow(/at least one case/);
  });
});
