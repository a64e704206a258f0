/** What riskWithBmi says about the record, with the committed model doing the work. */
import type { Resource } from "fhir/r4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RiskModel } from "../../shared/inference/index.ts";
import { riskWithBmi } from "../../shared/what-if-bmi.ts";
import { encounter, LOINC, observation, patient } from "../support/fhir-builders.ts";
import { countingCommittedModel } from "../support/counting-model.ts";

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

  it("refuses a BMI the feature builder would throw out (plausible 10 to 100) without running the model", async () => {
    const before = rows();
    for (const bmi of [0, 8, 9.99, 100.5, 120, Number.NaN, Number.POSITIVE_INFINITY]) {
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
