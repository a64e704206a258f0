import { describe, expect, it } from "vitest";
import type { RiskAssessmentResult } from "../../../shared/assess-risk.ts";
import type { RiskDriver } from "../../../shared/inference/explain.ts";
import { scoredPatient, storedRow } from "../../../population/job/scored-patient.ts";

const driver = (key: string, effect: number, kind: "diagnosis" | "bmi" = "diagnosis"): RiskDriver => ({
  group: kind === "bmi" ? { kind } : { kind, id: "knee_pain" },
  key,
  label: key,
  detail: "recorded",
  effect,
});

/** What scoredPatient reads of an assessment: a risk with drivers, and no BMI on record. */
const result = (drivers: RiskDriver[]) =>
  ({
    features: { demographics: { sex: "female", ageYears: 64, bmi: null } },
    eligibility: { reasons: [], warnings: ["no_bmi"] },
    probability: 0.06,
    tier: "high",
    drivers,
  }) as unknown as RiskAssessmentResult;

describe("scoredPatient's reasons", () => {
  it("lists the drivers the card lists: none that prints as 0.0 points, none for a missing BMI", () => {
    const drivers = [driver("bmi", 0.02, "bmi"), driver("knee pain", 0.031), driver("tiny", -0.0004), driver("hyperlipidemia", -0.0006)];
    expect(scoredPatient("p1", undefined, result(drivers), false, { lastRecord: null, lastRecordBeforeIndex: null, oaSiteNotStated: null, kneeReplaced: null }).reasons).toEqual([
      "knee pain: recorded (raises by 3.1 points)",
      "hyperlipidemia: recorded (lowers by 0.1 points)",
    ]);
  });
});

describe("the row the checkpoint stores", () => {
  it("keeps what the record said beside the risk: a knee replacement on record, with its date or undated", () => {
    const facts = { lastRecord: "2024-03-01", lastRecordBeforeIndex: "2024-03-01", oaSiteNotStated: null };
    for (const kneeReplaced of [{ date: "2021-05-11" }, { date: null }, null]) {
      const row = storedRow(scoredPatient("p1", undefined, result([]), false, { ...facts, kneeReplaced }));
      expect(JSON.parse(row.json)).toMatchObject({ patientId: "p1", probability: 0.06, ...facts, kneeReplaced });
    }
  });
});
