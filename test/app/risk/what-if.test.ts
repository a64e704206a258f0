/** The what-if control's rules: which typed BMIs are refused and where the control starts. */
import { describe, expect, it } from "vitest";
import { readWhatIfBmi, WHAT_IF_BMI, whatIfStart } from "../../../app/risk/what-if.ts";
import { PLAUSIBLE_BMI } from "../../../shared/features/body-mass.ts";

describe("readWhatIfBmi", () => {
  it("refuses an empty box instead of reading it as 0", () => {
    expect(readWhatIfBmi("")).toMatchObject({ refused: "empty" });
    expect(readWhatIfBmi("   ")).toMatchObject({ refused: "empty" });
  });

  it("refuses what is not a decimal number, even where Number() would read one", () => {
    // Number("0x1A") is 26 and Number("Infinity") is Infinity: neither is a BMI someone typed.
    for (const text of ["abc", "0x1A", "Infinity", "2 6", "26,5"]) expect(readWhatIfBmi(text)).toMatchObject({ refused: "not-a-number" });
  });

  it("refuses a BMI the feature builder would throw out (plausible 10 to 100), saying why", () => {
    for (const text of ["8", "9.99", "100.5", "120", "-26"]) expect(readWhatIfBmi(text)).toMatchObject({ refused: "implausible" });
    expect(readWhatIfBmi("8")).toMatchObject({ message: expect.stringContaining("plausible range (10 to 100 kg/m²)") });
  });

  it("refuses a plausible BMI outside the control's 15 to 50", () => {
    for (const text of ["12", "14.9", "50.1", "60"]) expect(readWhatIfBmi(text)).toMatchObject({ refused: "outside-control" });
  });

  it("accepts the control's ends and what lies between", () => {
    expect(readWhatIfBmi("15")).toEqual({ bmi: 15 });
    expect(readWhatIfBmi(" 26.6 ")).toEqual({ bmi: 26.6 });
    // At the control's step, as the answer prints it: the risk is for the BMI it names.
    expect(readWhatIfBmi("34.25")).toEqual({ bmi: 34.3 });
    expect(readWhatIfBmi("31.04")).toEqual({ bmi: 31 });
    expect(readWhatIfBmi("50")).toEqual({ bmi: 50 });
  });

  it("keeps the control inside the builder's plausible range", () => {
    expect(WHAT_IF_BMI.min).toBeGreaterThanOrEqual(PLAUSIBLE_BMI.min);
    expect(WHAT_IF_BMI.max).toBeLessThanOrEqual(PLAUSIBLE_BMI.max);
  });
});

describe("whatIfStart", () => {
  it("starts at the latest BMI as the app prints it (one decimal), not at the slider's half steps", () => {
    expect(whatIfStart(26.63)).toBe(26.6);
    expect(whatIfStart(30.94)).toBe(30.9);
    expect(whatIfStart(22)).toBe(22);
  });

  it("starts empty without a BMI (no made-up BMI), and inside the control's range", () => {
    expect(whatIfStart(null)).toBeNull();
    expect(whatIfStart(55.2)).toBe(50);
    expect(whatIfStart(12.4)).toBe(15);
  });
});
