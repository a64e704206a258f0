import { describe, expect, it } from "vitest";
import { splitByPatient } from "../../../models/recalibration/patient-split.ts";
import { MIN_ISOTONIC_CASES, MIN_LOGISTIC_CASES, applyRecalibration, fitRecalibration, poolAdjacentViolators } from "../../../models/recalibration/recalibration-fit.ts";

const logit = (p: number) => Math.log(p / (1 - p));

/** `n` rows at network risk `score`, the first `cases` of them cases. */
const rowsAt = (score: number, n: number, cases: number) => ({ scores: Array<number>(n).fill(score), labels: Array.from({ length: n }, (_, i) => (i < cases ? 1 : 0)) });
const joined = (...parts: { scores: number[]; labels: number[] }[]) => ({ scores: parts.flatMap((p) => p.scores), labels: parts.flatMap((p) => p.labels) });

describe("recalibration fits", () => {
  it("pools adjacent violators: 0, 1, 0, 1 at rising scores gives 0, 0.5, 0.5, 1", () => {
    const fit = poolAdjacentViolators({ scores: [0.3, 0.1, 0.4, 0.2], labels: [0, 0, 1, 1] });
    expect(fit).toEqual({ thresholds: [0.1, 0.2, 0.4], values: [0, 0.5, 1] });
    const r = { method: "isotonic" as const, ...fit };
    expect([0.05, 0.1, 0.25, 0.39, 0.4, 0.9].map((p) => applyRecalibration(r, p))).toEqual([0, 0, 0.5, 0.5, 1, 1]);
  });

  it("keeps equal scores in one block", () => {
    expect(poolAdjacentViolators({ scores: [0.2, 0.2, 0.5], labels: [1, 0, 1] })).toEqual({ thresholds: [0.2, 0.5], values: [0.5, 1] });
  });

  it("applies the logistic line to logit(risk)", () => {
    const r = { method: "logistic" as const, intercept: Math.log(4), slope: 1 };
    // Odds times 4: 0.2 (odds 1/4) becomes odds 1, risk 0.5.
    expect(applyRecalibration(r, 0.2)).toBeCloseTo(0.5, 12);
    expect(applyRecalibration({ ...r, intercept: 0, slope: 0.5 }, 0.1)).toBeCloseTo(1 / (1 + 3), 12);
  });

  it("refuses an isotonic fit with fewer cases than MIN_ISOTONIC_CASES", () => {
    const labels = Array.from({ length: 1000 }, (_, i) => (i < MIN_ISOTONIC_CASES - 1 ? 1 : 0));
    const scores = labels.map((_, i) => i / 1000);
    expect(() => fitRecalibration("isotonic", { scores, labels })).toThrow(/at least 200 cases in the fit split, found 199/);
  });
});

describe("recalibration that would reorder or rest on too few cases", () => {
  it("refuses a logistic fit with a slope at or below 0, which would rank the patients backwards, and names what to do", () => {
    // Two network risks, 5% and 20%, observed 20% and 5%: the exact fit through both points has
    // slope (logit 0.05 - logit 0.2) / (logit 0.2 - logit 0.05) = -1.
    const reversed = joined(rowsAt(0.05, 1000, 200), rowsAt(0.2, 1000, 50));
    expect(() => fitRecalibration("logistic", reversed)).toThrow(/logistic recalibration gave slope -1\.00.*--method intercept/);
    // A flat fit (observed 10% at both) has slope 0: it would give everyone the same risk.
    const flat = joined(rowsAt(0.05, 1000, 100), rowsAt(0.2, 1000, 100));
    expect(() => fitRecalibration("logistic", flat)).toThrow(/slope 0\.00/);
    // The same risks observed 10% and 30%: slope (logit 0.3 - logit 0.1) / (logit 0.2 - logit 0.05) = 0.73, accepted.
    const kept = fitRecalibration("logistic", joined(rowsAt(0.05, 1000, 100), rowsAt(0.2, 1000, 300)));
    expect(kept).toMatchObject({ method: "logistic" });
    if (kept.method === "logistic") expect(kept.slope).toBeCloseTo((logit(0.3) - logit(0.1)) / (logit(0.2) - logit(0.05)), 6);
  });

  it("refuses a logistic fit on fewer than MIN_LOGISTIC_CASES cases, naming the intercept-only method", () => {
    expect(MIN_LOGISTIC_CASES).toBe(100);
    // Observed about 10% at a network risk of 5% and 33% at 20%: a well-posed, rising fit, refused only for its cases.
    const few = joined(rowsAt(0.05, 495, 49), rowsAt(0.2, 150, 50));
    expect(() => fitRecalibration("logistic", few)).toThrow(/logistic recalibration needs at least 100 cases in the fit split, found 99; .*--method intercept/);
    const enough = joined(rowsAt(0.05, 500, 50), rowsAt(0.2, 150, 50));
    expect(fitRecalibration("logistic", enough)).toMatchObject({ method: "logistic" });
    // The review's sample (20 rows, 7 cases, the cases at the lowest scores) fitted slope -0.53: refused before any fit.
    const review = {
      scores: [0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.12, 0.15, 0.2],
      labels: [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0],
    };
    expect(() => fitRecalibration("logistic", review)).toThrow(/found 7/);
  });

  it("intercept only: shifts every logit by one fitted amount, slope 1, so the order of risks is kept and the fit's cases equal its summed risks", () => {
    // One network risk, 10%, observed 20%: logit(0.2) - logit(0.1) = log(0.25 / (1/9)) = log 2.25.
    const one = fitRecalibration("intercept", rowsAt(0.1, 10, 2));
    expect(one).toMatchObject({ method: "intercept", slope: 1 });
    if (one.method === "intercept") expect(one.intercept).toBeCloseTo(Math.log(2.25), 9);
    expect(applyRecalibration(one, 0.1)).toBeCloseTo(0.2, 9);
    // On the review's sample the intercept-only update raises every risk and keeps their order.
    const review = {
      scores: [0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.12, 0.15, 0.2],
      labels: [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0],
    };
    const r = fitRecalibration("intercept", review);
    const after = review.scores.map((p) => applyRecalibration(r, p));
    after.forEach((p, i) => i > 0 && expect(p).toBeGreaterThan(after[i - 1]!));
    // The maximum-likelihood intercept makes the summed recalibrated risks equal the 7 cases.
    expect(after.reduce((s, p) => s + p, 0)).toBeCloseTo(7, 6);
  });

  it("intercept only still needs both outcomes", () => {
    expect(() => fitRecalibration("intercept", rowsAt(0.1, 10, 0))).toThrow(/both outcomes/);
  });
});

describe("splitByPatient", () => {
  const patients = Array.from({ length: 30000 }, (_, i) => Math.floor(i / 3));
  it("puts every row of a patient on one side, about the share asked, the same for a seed", () => {
    const split = splitByPatient(patients, 0.3, 1);
    const side = new Map<number, string>();
    for (const [name, rows] of Object.entries(split)) {
      for (const row of rows) {
        const patient = patients[row]!;
        expect(side.get(patient) ?? name).toBe(name);
        side.set(patient, name);
      }
    }
    expect(split.holdout.length + split.fit.length).toBe(patients.length);
    expect(Math.abs(split.holdout.length / patients.length - 0.3)).toBeLessThan(0.02);
    expect(splitByPatient(patients, 0.3, 1)).toEqual(split);
    expect(splitByPatient(patients, 0.3, 2).holdout).not.toEqual(split.holdout);
  });
});
