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
    expect(scoredPatient("p1", undefined, result(drivers), false, { lastRecord: null, lastRecordBeforeIndex: null, recentKneeOaGrade: null, oaSiteNotStated: null, kneeReplaced: null, oldBmi: null, kneeOaAfterIndex: null }).reasons).toEqual([
      "knee pain: recorded (raises by 3.1 points)",
      "hyperlipidemia: recorded (lowers by 0.1 points)",
    ]);
  });

  it("does not say a driver's name twice when its detail starts with it, as the app writes it", () => {
    // The third review: "Age: Age 78 (compared with 50)" in high-risk.csv.
    const age: RiskDriver = { group: { kind: "age" }, key: "age", label: "Age", detail: "Age 78 (compared with 50)", effect: 0.038 };
    const noFacts = { lastRecord: null, lastRecordBeforeIndex: null, recentKneeOaGrade: null, oaSiteNotStated: null, kneeReplaced: null, oldBmi: null, kneeOaAfterIndex: null };
    expect(scoredPatient("p1", undefined, result([age]), false, noFacts).reasons).toEqual(["Age 78 (compared with 50) (raises by 3.8 points)"]);
  });
});

describe("the row the checkpoint stores", () => {
  it("keeps what the record said beside the risk: a knee graded KL 2 or more, a knee replacement on record, with its date or undated, a BMI older than the history", () => {
    const facts = { lastRecord: "2024-03-01", lastRecordBeforeIndex: "2024-03-01", oaSiteNotStated: null, oldBmi: null, kneeOaAfterIndex: null };
    const caveats = [
      { recentKneeOaGrade: { grade: 3, side: "left", date: "2024-05-01" }, kneeReplaced: { date: "2021-05-11" } },
      { recentKneeOaGrade: null, kneeReplaced: { date: null } },
      { recentKneeOaGrade: { grade: 2, side: "right", date: "2020-02-02" }, kneeReplaced: null },
      { recentKneeOaGrade: null, kneeReplaced: null, oldBmi: { bmi: 31.2, date: "2021-12-28" } },
    ] as const;
    for (const caveat of caveats) {
      const row = storedRow(scoredPatient("p1", undefined, result([]), false, { ...facts, ...caveat }));
      expect(JSON.parse(row.json)).toMatchObject({ patientId: "p1", probability: 0.06, ...facts, ...caveat });
    }
  });
});
