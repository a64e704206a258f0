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

  it("gives no interval when all the cases are one patient's: their spread is unknown, not zero", () => {
    // One case against 0.2, 0.3, 0.6: AUROC 2/3. The controls' components vary, the single case's
    // cannot be estimated; a zero in its place would give an interval as if that case were certain.
    const one = auroc({ scores: [0.5, 0.2, 0.3, 0.6], labels: [1, 0, 0, 0] });
    expect(one.estimate).toBeCloseTo(2 / 3, 12);
    expect([one.standardError, one.lower, one.upper].every(Number.isNaN)).toBe(true);
    const samePatient = auroc({ scores: [0.5, 0.7, 0.2, 0.3, 0.6], labels: [1, 1, 0, 0, 0], clusters: [1, 1, 2, 3, 4] });
    expect(samePatient.estimate).toBeCloseTo(5 / 6, 12);
    expect(Number.isNaN(samePatient.standardError)).toBe(true);
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

  // Patients (clusters) with several index dates: two cases in patients C and D (0.5, 0.9), and
  // two patients with two control rows each, A (0.1, 0.2) and B (0.6, 0.7). AUROC 6/8 = 0.75.
  // Row components: V10 = [0.5, 1], V01 = [1, 1, 0.5, 0.5]. Per patient (Obuchowski 1997),
  // residuals V_i - count_i x 0.75: cases -0.25 and 0.25, controls A 2 - 1.5 = 0.5, B 1 - 1.5 = -0.5,
  // no patient with both; var = 2/(1 x 2^2) x 0.125 + 2/(1 x 4^2) x 0.5 = 0.0625 + 0.0625 = 0.125.
  // Rows taken as independent (DeLong) give 0.125/2 + (0.25/3)/4 = 1/12: too narrow.
  const clustered = { labels: [1, 1, 0, 0, 0, 0], scores: [0.5, 0.9, 0.1, 0.2, 0.6, 0.7], clusters: [2, 3, 0, 0, 1, 1] };

  it("with patients given, the AUROC's standard error counts patients, not rows", () => {
    expect(auroc(clustered).estimate).toBe(0.75);
    expect(auroc(clustered).standardError).toBeCloseTo(Math.sqrt(0.125), 12);
    const { clusters: _, ...rows } = clustered;
    expect(auroc(rows).standardError).toBeCloseTo(Math.sqrt(1 / 12), 12);
  });

  it("with patients given, the paired difference counts patients too", () => {
    const perfect = [0.95, 0.99, 0.1, 0.2, 0.3, 0.4];
    const d = aurocDifference(clustered.labels, clustered.scores, perfect, clustered.clusters);
    expect(d.estimate).toBe(-0.25);
    // The perfect model's residuals are all 0, so the variance is the first model's alone.
    expect(d.standardError).toBeCloseTo(Math.sqrt(0.125), 12);
  });

  it("a patient with a case and a control row adds the covariance term", () => {
    // Patient A: case 0.8 and control 0.4; patient B: case 0.35 and control 0.1 (AUROC 0.75).
    // Residuals: A V10 1 - 0.75 = 0.25, V01 0.5 - 0.75 = -0.25; B -0.25 and 0.25.
    // var = 2/(1 x 4) x 0.125 + 2/(1 x 4) x 0.125 + 2 x 2/(1 x 2 x 2) x (-0.125) = 0.
    const r = auroc({ labels: [0, 0, 1, 1], scores: [0.1, 0.4, 0.35, 0.8], clusters: [7, 5, 7, 5] });
    expect(r.standardError).toBeCloseTo(0, 12);
  });

  it("normalCdf matches known quantiles", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
  });

  it("normalCdf keeps its relative accuracy in the far tail, where the report's smallest p-values come from", () => {
    // Phi(-5) = 2.8665157e-7 and Phi(-10) = 7.6198530e-24 (standard normal tables); a p-value
    // computed as 1 - Phi(z) loses them to rounding (1 - Phi(10) is exactly 0 in doubles).
    expect(normalCdf(-5) / 2.866515718791939e-7).toBeCloseTo(1, 6);
    expect(normalCdf(-10) / 7.619853024160527e-24).toBeCloseTo(1, 6);
    expect(1 - normalCdf(10)).toBe(0);
    // A difference 12 standard errors from 0 (cases all above controls for one model, at chance
    // for the other): the p-value is 2 Phi(-z), small but not 0.
    const labels12 = Array.from({ length: 400 }, (_, i) => (i < 200 ? 1 : 0));
    const good = labels12.map((y, i) => y + i / 1000);
    const chance = labels12.map((_, i) => (i * 7919) % 400);
    const d = aurocDifference(labels12, good, chance);
    const z = Math.abs(d.estimate) / d.standardError;
    expect(z).toBeGreaterThan(8);
    expect(d.pValue).toBeGreaterThan(0);
    expect(d.pValue / (2 * normalCdf(-z))).toBeCloseTo(1, 9);
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
