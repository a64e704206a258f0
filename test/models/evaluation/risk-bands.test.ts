import { describe, expect, it } from "vitest";
import { highRiskBands } from "../../../models/evaluation/risk-bands.ts";

describe("highRiskBands", () => {
  it("puts each row from 5% up in its band (lower edge included) and gives the band's means; rows below 5% are left out", () => {
    const predicted = [0.01, 0.05, 0.09, 0.1, 0.5, 0.99];
    const labels = [1, 0, 1, 1, 1, 0];
    const trueRisk = [0.02, 0.04, 0.06, 0.3, 0.7, 0.9];
    expect(highRiskBands(predicted, labels, trueRisk)).toEqual([
      { from: 0.05, to: 0.1, rows: 2, cases: 1, meanPredicted: 0.07, observed: 0.5, meanTrueRisk: 0.05 },
      { from: 0.1, to: 0.2, rows: 1, cases: 1, meanPredicted: 0.1, observed: 1, meanTrueRisk: 0.3 },
      { from: 0.2, to: 0.5, rows: 0, cases: 0, meanPredicted: null, observed: null, meanTrueRisk: null },
      { from: 0.5, to: null, rows: 2, cases: 1, meanPredicted: 0.745, observed: 0.5, meanTrueRisk: 0.8 },
    ]);
  });
});
