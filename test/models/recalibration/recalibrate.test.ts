/**
 * Recalibration on a simulated cohort of scored rows whose baseline risk is shifted: the outcome
 * odds are 4 times what the model says for everyone, so its O/E is well above 1 before, and the
 * held-out patients' O/E moves to about 1 after.
 */
import { describe, expect, it } from "vitest";
import { ORACLE, emptyTable, selectRows } from "../../../models/evaluation/prediction-table.ts";
import { recalibrate } from "../../../models/recalibration/recalibrate.ts";
import { prng } from "../../shared/inference/fixtures.ts";

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function shiftedCohort() {
  const rand = prng(21);
  const table = emptyTable(["deep-koa"]);
  for (let i = 0; i < 40000; i++) {
    const x = -5 + 2.5 * rand();
    table.labels.push(rand() < sigmoid(x + Math.log(4)) ? 1 : 0);
    table.ageYears.push(60);
    table.sex.push("female");
    table.bmiMissing.push(false);
    table.patientIndex.push(Math.floor(i / 2));
    table.scores["deep-koa"]!.push(sigmoid(x));
  }
  return table;
}

describe("recalibrate", () => {
  const table = shiftedCohort();

  it("logistic: held-out O/E moves from about 3.5 to within 0.8-1.25, the order of risks kept", () => {
    const result = recalibrate(table, "deep-koa", { method: "logistic", holdoutShare: 0.3, seed: 1 });
    const h = result.holdout;
    expect(h.verdictBefore.observedExpected).toBeGreaterThan(3);
    expect(h.verdictBefore.acceptable).toBe(false);
    expect(Math.abs(h.verdictAfter.observedExpected! - 1)).toBeLessThan(0.1);
    expect(h.verdictAfter.acceptable).toBe(true);
    // A shift on the logit scale: intercept about log 4, slope about 1.
    expect(result.recalibration).toMatchObject({ method: "logistic" });
    if (result.recalibration.method === "logistic") {
      expect(result.recalibration.intercept).toBeCloseTo(Math.log(4), 0);
      expect(result.recalibration.slope).toBeCloseTo(1, 0);
    }
    expect(h.after.auroc!.estimate).toBeCloseTo(h.before.auroc!.estimate, 12);
    expect(result.fit.rows + h.rows).toBe(40000);
    expect(result.fit.patients + h.patients).toBe(20000);
  });

  it("gives the held-out AUROC interval by patient, as the evaluation does", () => {
    // Every held-out patient's row copied: the interval must not narrow (rows of one patient are
    // not independent evidence).
    const copied = selectRows(table, table.labels.flatMap((_, i) => [i, i]));
    const options = { method: "logistic", holdoutShare: 0.3, seed: 1 } as const;
    const [once, twice] = [table, copied].map((t) => recalibrate(t, "deep-koa", options).holdout);
    expect(twice!.rows).toBe(2 * once!.rows);
    expect(twice!.before.auroc!.standardError).toBeCloseTo(once!.before.auroc!.standardError, 12);
    expect(twice!.after.auroc!.standardError).toBeCloseTo(once!.after.auroc!.standardError, 12);
  });

  it("isotonic: held-out O/E near 1 too", () => {
    const result = recalibrate(table, "deep-koa", { method: "isotonic", holdoutShare: 0.3, seed: 1 });
    expect(Math.abs(result.holdout.verdictAfter.observedExpected! - 1)).toBeLessThan(0.15);
  });

  it("ignores other models' columns (the oracle)", () => {
    const withOracle = { ...table, scores: { ...table.scores, [ORACLE]: table.scores["deep-koa"]!.map(() => 0.5) } };
    const a = recalibrate(withOracle, "deep-koa", { method: "logistic", holdoutShare: 0.3, seed: 1 });
    const b = recalibrate(table, "deep-koa", { method: "logistic", holdoutShare: 0.3, seed: 1 });
    expect(a.recalibration).toEqual(b.recalibration);
  });
});
