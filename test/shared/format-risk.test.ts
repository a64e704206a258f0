import { describe, expect, it } from "vitest";
import { formatRisk } from "../../shared/format-risk.ts";
import { riskTier } from "../../shared/risk-tiers.ts";

describe("formatRisk", () => {
  it("writes one decimal of a percent, with the edges as bounds", () => {
    expect(formatRisk(0.0004)).toBe("<0.1%");
    expect(formatRisk(0.0123)).toBe("1.2%");
    expect(formatRisk(0.125)).toBe("12.5%");
    expect(formatRisk(0.9999)).toBe(">99.9%");
  });

  it("never rounds a probability up to the lower bound of a tier it is below", () => {
    // 0.96% and the model's float32 value nearest 1% (0.0099999998) are "low": not "1.0%".
    expect(formatRisk(0.0096)).toBe("<1.0%");
    expect(formatRisk(Math.fround(0.01))).toBe("<1.0%");
    expect(riskTier(Math.fround(0.01))).toBe("low");
    expect(formatRisk(0.0094)).toBe("0.9%");
    expect(formatRisk(0.01)).toBe("1.0%");
    expect(formatRisk(0.0496)).toBe("<5.0%");
    expect(formatRisk(0.0494)).toBe("4.9%");
    expect(formatRisk(0.05)).toBe("5.0%");
    // Other thresholds, other bounds: 1% is no bound then.
    const thresholds = { moderate: 0.02, high: 0.1 };
    expect(formatRisk(0.0199, thresholds)).toBe("<2.0%");
    expect(formatRisk(0.0099, thresholds)).toBe("1.0%");
    // A threshold between two steps of the display (1.23%): 1.21% is below it but not below 1.2%,
    // so it is written 1.2%, never "<1.2%".
    const offGrid = { moderate: 0.0123, high: 0.1 };
    expect(formatRisk(0.0121, offGrid)).toBe("1.2%");
    expect(formatRisk(0.01229, offGrid)).toBe("1.2%");
    expect(formatRisk(0.0123, offGrid)).toBe("1.2%");
    expect(formatRisk(0.0126, offGrid)).toBe("1.3%");
  });

  it("agrees with the tier for every float32 probability near the bounds: a number written at or above 1.0% (5.0%) is moderate (high)", () => {
    for (const [from, to, bound, tiers] of [
      [0.0094, 0.0106, 1, ["moderate", "high"]],
      [0.0494, 0.0506, 5, ["high"]],
    ] as const) {
      for (let p = from; p < to; p += 1e-7) {
        const probability = Math.fround(p);
        const written = formatRisk(probability);
        const atOrAbove = !written.startsWith("<") && Number(written.slice(0, -1)) >= bound;
        expect(atOrAbove, `${probability} written ${written}`).toBe((tiers as readonly string[]).includes(riskTier(probability)));
      }
    }
  });
});
