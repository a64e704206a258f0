import { describe, expect, it } from "vitest";
import { buildFeatures } from "../../../shared/features/build-features.ts";
import { weeksOf } from "../../support/feature-cells.ts";
import { CODES, condition, LOINC, medicationStatement, observation, patient } from "../../support/fhir-builders.ts";

// Index 2020-01-01: week 155 is 2019-12-25..31; 2019-11-01 is in week 147, 2019-11-30 in week 151.
describe("partial dates that contain the index date", () => {
  it("do not diagnose knee OA before the index when the onset month contains the index", () => {
    const features = buildFeatures([patient(), condition(CODES.kneeOaIcd10, { onsetDateTime: "2020-01" })], "2020-01-20");
    expect(features.eligibility.reasons).toEqual([]);
    expect(features.eligibility.alreadyDiagnosed).toBeUndefined();
    expect(features.quality.ignoredOnOrAfterIndex).toBe(1);
  });

  it("still count a partial onset whose whole month ends before the index, on its first day", () => {
    const features = buildFeatures([patient(), condition(CODES.kneeOaIcd10, { onsetDateTime: "2019-12" })], "2020-01-01");
    expect(features.eligibility.alreadyDiagnosed).toEqual({ date: "2019-12-01" });
  });

  it("ignore a BMI dated with the year of the index date", () => {
    const features = buildFeatures([patient(), observation(LOINC.bmi, 31, "kg/m2", "2020")], "2020-11-20");
    expect(features.demographics.bmi).toBeNull();
    expect(features.eligibility.warnings).toContain("no_bmi");
    const before = buildFeatures([patient(), observation(LOINC.bmi, 31, "kg/m2", "2019")], "2020-11-20");
    expect(before.demographics).toMatchObject({ bmi: 31, bmiDate: "2019-01-01" });
  });
});

describe("partial end dates", () => {
  it("end on the last day of their month", () => {
    const features = buildFeatures(
      [patient(), medicationStatement(CODES.naproxenSodium220, { start: "2019-10-28", end: "2019-11" })],
      "2020-01-01",
    );
    const weeks = weeksOf(features, "nsaid_oral");
    // 2019-10-28 .. 2019-11-30: 34 drug-days, the last in week 151.
    expect(Object.keys(weeks).map(Number)).toEqual([146, 147, 148, 149, 150, 151]);
    const drugDays = Object.values(weeks).reduce((sum, value) => sum + value * 28, 0);
    expect(Math.round(drugDays)).toBe(34);
  });
});
