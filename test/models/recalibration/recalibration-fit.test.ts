import { describe, expect, it } from "vitest";
import { splitByPatient } from "../../../models/recalibration/patient-split.ts";
import { MIN_ISOTONIC_CASES, applyRecalibration, fitRecalibration, poolAdjacentViolators } from "../../../models/recalibration/recalibration-fit.ts";

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
