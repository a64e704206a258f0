import { describe, expect, it } from "vitest";
import { atThreshold } from "../../../../models/evaluation/metrics/thresholds.ts";

describe("atThreshold", () => {
  it("counts rows at or above the threshold as flagged", () => {
    const m = atThreshold({ scores: [0.1, 0.4, 0.35, 0.8, 0.4], labels: [0, 0, 1, 1, 1] }, 0.4);
    expect(m).toMatchObject({ truePositives: 2, falsePositives: 1, trueNegatives: 1, falseNegatives: 1 });
    expect(m.sensitivity).toBeCloseTo(2 / 3, 12);
    expect(m.specificity).toBe(0.5);
    expect(m.ppv).toBeCloseTo(2 / 3, 12);
    expect(m.npv).toBe(0.5);
    expect(m.flaggedFraction).toBe(0.6);
  });

  it("reports undefined ratios as null", () => {
    const m = atThreshold({ scores: [0.1, 0.2], labels: [0, 0] }, 0.5);
    expect([m.sensitivity, m.ppv, m.specificity]).toEqual([null, null, 1]);
  });
});
