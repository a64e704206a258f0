/** The note said where weight management is suggested while the model credits the BMI with lowering the risk. */
import { describe, expect, it } from "vitest";
import type { RiskDriver } from "../../shared/inference/explain.ts";
import { obeseBmiLowersEstimate } from "../../shared/obesity.ts";

const bmiDriver = (effect: number): RiskDriver => ({ group: { kind: "bmi" }, key: "bmi", label: "Body mass index", detail: "BMI 35.3 (compared with BMI 25)", effect });
const kneePain: RiskDriver = { group: { kind: "diagnosis", id: "knee_pain" }, key: "diagnosis:knee_pain", label: "Knee pain", detail: "d", effect: -0.02 };

describe("obeseBmiLowersEstimate", () => {
  it("says it for an obese patient whose BMI lowers the estimate, with the size as the drivers write it", () => {
    // Felix Sato in the third review: BMI 35.3, "Body mass index lowers -1.0 points" in the app.
    expect(obeseBmiLowersEstimate([kneePain, bmiDriver(-0.0104)], 35.3)).toBe(
      "This model credits the BMI of 35.3 with lowering this estimate (by 1.0 percentage points), against clinical evidence, " +
        "where excess weight raises the risk of knee OA: weight management is suggested on that evidence, not on this model.",
    );
    // BMI 30 is obese (WHO): the card suggests weight management from 30.
    expect(obeseBmiLowersEstimate([bmiDriver(-0.001)], 30)).toContain("the BMI of 30.0");
  });

  it("says nothing below obesity, when the BMI raises the estimate, or when its effect prints as 0.0 points", () => {
    expect(obeseBmiLowersEstimate([bmiDriver(-0.0104)], 29.9)).toBeNull();
    expect(obeseBmiLowersEstimate([bmiDriver(-0.0104)], null)).toBeNull();
    expect(obeseBmiLowersEstimate([bmiDriver(0.0104)], 35.3)).toBeNull();
    expect(obeseBmiLowersEstimate([bmiDriver(-0.0004)], 35.3)).toBeNull();
    // Another group lowering the estimate is not the BMI.
    expect(obeseBmiLowersEstimate([kneePain], 35.3)).toBeNull();
  });
});
