import { describe, expect, it } from "vitest";
import { RISK_TIER_CONFIG, riskTier } from "../../shared/risk-tiers.ts";

describe("riskTier", () => {
  const { moderate, high } = RISK_TIER_CONFIG.thresholds;

  it("orders the thresholds inside (0, 1)", () => {
    expect(0 < moderate && moderate < high && high < 1).toBe(true);
  });

  it("puts each threshold in the higher tier and just below it in the lower one", () => {
    expect(riskTier(0)).toBe("low");
    expect(riskTier(moderate - 1e-9)).toBe("low");
    expect(riskTier(moderate)).toBe("moderate");
    expect(riskTier(high - 1e-9)).toBe("moderate");
    expect(riskTier(high)).toBe("high");
    expect(riskTier(1)).toBe("high");
  });

  it("uses a caller's configuration", () => {
    const config = { ...RISK_TIER_CONFIG, thresholds: { moderate: 0.3, high: 0.6 } };
    expect([0.29, 0.3, 0.59, 0.6].map((p) => riskTier(p, config))).toEqual(["low", "moderate", "moderate", "high"]);
  });

  it("refuses values that are not probabilities", () => {
    for (const bad of [-0.01, 1.01, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => riskTier(bad)).toThrow(RangeError);
  });
});
