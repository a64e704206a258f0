import { describe, expect, it } from "vitest";
import { formatPercent, formatRisk, roundedProbability } from "../../shared/format-risk.ts";
import { riskTier } from "../../shared/risk-tiers.ts";

describe("formatPercent", () => {
  it("writes one decimal of a percent, with the edges as bounds, and no tier's bound", () => {
    expect(formatPercent(0.0004)).toBe("<0.1%");
    expect(formatPercent(0.0096)).toBe("1.0%");
    expect(formatPercent(Math.fround(0.01))).toBe("1.0%");
    expect(formatPercent(0.0496)).toBe("5.0%");
    expect(formatPercent(0.0123)).toBe("1.2%");
    expect(formatPercent(0.9999)).toBe(">99.9%");
  });
});

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

describe("roundedProbability", () => {
  const tiers = [0.01, 0.05];

  it("rounds to the places asked", () => {
    expect(roundedProbability(0.987484, 4, tiers)).toBe(0.9875);
    expect(roundedProbability(0.0123449, 4, tiers)).toBe(0.0123);
    expect(roundedProbability(0.00004, 4, tiers)).toBe(0);
    expect(roundedProbability(0.0412345678, 6, tiers)).toBe(0.041235);
  });

  it("never writes a probability below a threshold as the threshold or above it", () => {
    // The float32 just below 5% (0.04999999701976776) is moderate: 0.0500 would read as high.
    const justBelowHigh = 0.04999999701976776;
    expect(riskTier(justBelowHigh)).toBe("moderate");
    expect(roundedProbability(justBelowHigh, 4, tiers)).toBe(0.0499);
    expect(roundedProbability(justBelowHigh, 6, tiers)).toBe(0.049999);
    // The model's float32 nearest 1% is below it (0.0099999998): low, so not 0.0100.
    expect(roundedProbability(Math.fround(0.01), 4, tiers)).toBe(0.0099);
    expect(roundedProbability(0.04996, 4, tiers)).toBe(0.0499);
    // On or above a threshold it rounds as usual.
    expect(roundedProbability(0.05, 4, tiers)).toBe(0.05);
    expect(roundedProbability(0.0500004, 4, tiers)).toBe(0.05);
  });

  it("never writes a probability at or above a threshold between two steps as below it", () => {
    // A list threshold of 1.234%: 0.012341 is on the list, but 4 places make it 0.0123 (below).
    expect(roundedProbability(0.012341, 4, [0.01234])).toBe(0.0124);
    // And 0.012339, below it, that 4 places would make 0.0123: stays below (0.0123 < 0.01234).
    expect(roundedProbability(0.012339, 4, [0.01234])).toBe(0.0123);
  });
});
