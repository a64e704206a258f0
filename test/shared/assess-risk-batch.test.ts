import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assessRisk } from "../../shared/assess-risk.ts";
import { assessRiskAtDates } from "../../shared/assess-risk-batch.ts";
import { loadRiskModel, type RiskModel } from "../../shared/inference/index.ts";
import { monthlyIndexDates } from "../../shared/monthly-index-dates.ts";
import { CODES, condition } from "../support/fhir-builders.ts";
import { realisticRecord } from "../support/realistic-record.ts";
import { committedModel } from "./inference/onnx-bytes.ts";
import { RUNTIMES } from "./inference/fixtures.ts";

const INDEX_DATE = "2024-01-15";
const DATES = monthlyIndexDates(INDEX_DATE, 36);
// The patient (born 1958-03-14) reaches 64 on 2022-03-14 and is diagnosed with knee OA on
// 2023-09-01: the trend holds all three states (under the minimum age, risk, already diagnosed).
const OPTIONS = { features: { minAgeYears: 64 } };
const RECORD = [
  ...realisticRecord(400, INDEX_DATE, 7),
  condition(CODES.kneeOaIcd10, { id: "knee-oa", onsetDateTime: "2023-09-01", recordedDate: "2023-09-01" }),
];

/** Counts the model's runs and rows; the model itself still does the work. */
function counted(model: RiskModel): { model: RiskModel; runs: number[] } {
  const runs: number[] = [];
  return {
    runs,
    model: { ...model, predict: (batch) => (runs.push(batch.length), model.predict(batch)) },
  };
}

describe.each(["node", "web"] as const)("assessRiskAtDates (onnxruntime-%s)", (runtime) => {
  let model: RiskModel;
  beforeAll(async () => {
    model = await loadRiskModel(RUNTIMES[runtime], committedModel());
  });
  afterAll(() => model.release());

  it("gives at every date what assessRisk without explanation gives (probabilities to 1e-9)", async () => {
    const batch = await assessRiskAtDates(model, RECORD, DATES, OPTIONS);
    expect(batch).toHaveLength(36);
    let withRisk = 0;
    for (const [i, date] of DATES.entries()) {
      const single = await assessRisk(model, RECORD, date, { ...OPTIONS, explain: false });
      const point = batch[i]!;
      expect(point.eligibility).toEqual(single.eligibility);
      expect(point.tier).toBe(single.tier);
      if (single.probability === undefined) {
        expect(point.probability).toBeUndefined();
      } else {
        withRisk += 1;
        expect(Math.abs(point.probability! - single.probability)).toBeLessThanOrEqual(1e-9);
      }
    }
    // Worked out from the dates: 2022-03-15 .. 2023-08-15 are eligible (18 months).
    expect(withRisk).toBe(18);
    expect(batch[0]!.eligibility.reasons).toEqual(["under_min_age"]);
    expect(batch[35]!.eligibility.reasons).toContain("already_diagnosed");
  });

  it("runs the model once, over the eligible rows only", async () => {
    const spy = counted(model);
    await assessRiskAtDates(spy.model, RECORD, DATES, OPTIONS);
    expect(spy.runs).toEqual([18]);
  });

  it("does not run the model when no date is eligible", async () => {
    const spy = counted(model);
    const results = await assessRiskAtDates(spy.model, RECORD, DATES.slice(0, 5), OPTIONS);
    expect(spy.runs).toEqual([]);
    expect(results.map((r) => r.probability)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
