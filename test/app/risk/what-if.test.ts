/** The what-if's rules: which typed BMIs are refused, where the control starts, and what
 * riskWithBmi says about the record, with the committed model doing the work. */
import type { Resource } from "fhir/r4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readWhatIfBmi, riskWithBmi, WHAT_IF_BMI, whatIfStart } from "../../../app/risk/what-if.ts";
import { PLAUSIBLE_BMI } from "../../../shared/features/body-mass.ts";
import type { RiskModel } from "../../../shared/inference/index.ts";
import { encounter, LOINC, observation, patient } from "../../support/fhir-builders.ts";
import { countingCommittedModel } from "../../support/counting-model.ts";

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

  it("starts at 25 without a BMI, and inside the control's range", () => {
    expect(whatIfStart(null)).toBe(25);
    expect(whatIfStart(55.2)).toBe(50);
    expect(whatIfStart(12.4)).toBe(15);
  });
});

describe("riskWithBmi (onnxruntime-node)", () => {
  const INDEX_DATE = "2024-01-15";
  const DAY_BEFORE = "2024-01-14";
  const RECORD: Resource[] = [patient({ birthDate: "1958-03-14" }), encounter("2021-06-01"), observation(LOINC.bmi, 31.2, "kg/m2", "2023-05-02")];
  let model: RiskModel;
  let rows: () => number;
  beforeAll(async () => {
    ({ model, rows } = await countingCommittedModel());
  });
  afterAll(() => model.release());

  it("computes the risk with the chosen BMI, and claims nothing about the record", async () => {
    const result = await riskWithBmi(model, RECORD, "p1", INDEX_DATE, 22);
    expect(result.usedBmi).toBe(22);
    expect(result.probability).toBeGreaterThan(0);
    expect(result.recordBmiThatDay).toBeUndefined();
  });

  it("gives a different risk for a different BMI (the model used it)", async () => {
    const low = await riskWithBmi(model, RECORD, "p1", INDEX_DATE, 18);
    const high = await riskWithBmi(model, RECORD, "p1", INDEX_DATE, 45);
    expect(high.probability).not.toBe(low.probability);
  });

  it("refuses an implausible or out-of-range BMI without running the model", async () => {
    const before = rows();
    for (const bmi of [0, 8, 120, 12, 60, Number.NaN]) {
      await expect(riskWithBmi(model, RECORD, "p1", INDEX_DATE, bmi)).rejects.toThrow(RangeError);
    }
    expect(rows()).toBe(before);
  });

  it("says the record holds a BMI that day only when it does, with its value", async () => {
    const sameDay = [...RECORD, observation(LOINC.bmi, 26.6, "kg/m2", DAY_BEFORE)];
    // Of two BMIs stated on one day the builder keeps the higher: 26.6 over 22, 30 over 26.6.
    expect((await riskWithBmi(model, sameDay, "p1", INDEX_DATE, 22)).recordBmiThatDay).toEqual({ bmi: 26.6, date: DAY_BEFORE });
    expect((await riskWithBmi(model, sameDay, "p1", INDEX_DATE, 30)).recordBmiThatDay).toBeUndefined();
    // A record without any BMI: nothing to claim.
    const noBmi = RECORD.filter((r) => r.resourceType !== "Observation");
    expect((await riskWithBmi(model, noBmi, "p1", INDEX_DATE, 22)).recordBmiThatDay).toBeUndefined();
  });
});
