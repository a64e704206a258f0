/** The BMI the model used, said when it is older than the 156 weeks of history the model reads. */
import { describe, expect, it } from "vitest";
import { oldBmi, oldBmiCaveat } from "../../shared/old-bmi.ts";

describe("oldBmi", () => {
  // 156 weeks are 1,092 days. Before 2026-01-01: 2025 has 365 days, 2024 has 366, 2023 has 365,
  // so 2023-01-01 is 1,096 days before it and the window's first day is 2023-01-05.
  it("is the BMI dated before the window's first day, not one dated on it", () => {
    expect(oldBmi(29, "2023-01-04", "2026-01-01")).toEqual({ bmi: 29, date: "2023-01-04" });
    expect(oldBmi(29, "2023-01-05", "2026-01-01")).toBeNull();
    expect(oldBmi(29, "2025-12-31", "2026-01-01")).toBeNull();
  });

  it("counts a leap day: the window before 2025-01-01 starts on 2022-01-05", () => {
    // 2024 (366) + 2023 (365) + 2022 (365) = 1,096 days back to 2022-01-01.
    expect(oldBmi(31.2, "2022-01-04", "2025-01-01")).toEqual({ bmi: 31.2, date: "2022-01-04" });
    expect(oldBmi(31.2, "2022-01-05", "2025-01-01")).toBeNull();
  });

  it("is nothing without a BMI, its date, or an index date that is a day", () => {
    expect(oldBmi(null, "2010-01-01", "2026-01-01")).toBeNull();
    expect(oldBmi(29, undefined, "2026-01-01")).toBeNull();
    expect(oldBmi(29, "2010-01-01", "not a date")).toBeNull();
  });

  it("is said with the value and date, and that the estimate uses it", () => {
    expect(oldBmiCaveat({ bmi: 29, date: "2022-09-18" })).toBe(
      "The latest BMI on record, 29.0 on 2022-09-18, is older than the 3 years of history the model reads: " +
        "the estimate uses it, though weight may have changed since.",
    );
  });
});
