/** The sentence comparing a risk with the age/sex baseline, at its edges (values worked out by hand). */
import { describe, expect, it } from "vitest";
import { baselineComparison } from "../../shared/baseline-comparison.ts";

const REF = "people of the same age and sex";

describe("baselineComparison", () => {
  it("states the ratio to one decimal between 1.1 and 10 times", () => {
    // 0.0634 / 0.0211 = 3.005; 0.0396 / 0.004 = 9.9.
    expect(baselineComparison(0.0634, 0.0211, "male")).toBe(`3.0 times the risk of ${REF} (2.1%, age/sex baseline model).`);
    expect(baselineComparison(0.0396, 0.004, "female")).toBe(`9.9 times the risk of ${REF} (0.4%, age/sex baseline model).`);
  });

  it("says 'more than 10 times' rather than digits the baseline cannot carry", () => {
    // 0.055 / 0.004 = 13.75; 0.9 / 0.0011 = 818.
    expect(baselineComparison(0.055, 0.004, "female")).toBe(`More than 10 times the risk of ${REF} (0.4%, age/sex baseline model).`);
    expect(baselineComparison(0.9, 0.0011, "male")).toBe(`More than 10 times the risk of ${REF} (0.1%, age/sex baseline model).`);
  });

  it("gives no ratio against a baseline printed as <0.1%", () => {
    // An 18-year-old at 1.2% against 0.009%: 133 times, which the reader could not check.
    expect(baselineComparison(0.012, 0.00009, "female")).toBe(`Higher than the risk of ${REF} (<0.1%, age/sex baseline model).`);
    // Both below 0.1% (0.09% and 0.01%, 9 times): neither is told apart in print.
    expect(baselineComparison(0.0009, 0.0001, "male")).toBe(`Below 0.1%, as is the risk of ${REF} (<0.1%, age/sex baseline model).`);
  });

  it("says lower, or about the same, without a ratio", () => {
    expect(baselineComparison(0.015, 0.025, "female")).toBe(`Lower than the risk of ${REF} (2.5%, age/sex baseline model).`);
    // 0.026 / 0.025 = 1.04.
    expect(baselineComparison(0.026, 0.025, "female")).toBe(`About the same as the risk of ${REF} (2.5%, age/sex baseline model).`);
  });

  it("says nothing for a sex the baseline model does not know", () => {
    expect(baselineComparison(0.02, 0.007, "unknown")).toBeNull();
    expect(baselineComparison(0.02, 0.007, "other")).toBeNull();
  });
});
