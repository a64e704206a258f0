import { describe, expect, it } from "vitest";
import { buildFeatures } from "../../../shared/features/build-features.ts";
import { weeksOf } from "../../support/feature-cells.ts";
import { CODES, condition, encounter, LOINC, medicationStatement, observation, patient } from "../../support/fhir-builders.ts";

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
    expect(features.eligibility.alreadyDiagnosed).toEqual({ date: "2019-12-01", precision: "month" });
  });

  it("keep how precisely the record dates the knee OA diagnosis", () => {
    const diagnosed = (...resources: object[]) => buildFeatures([patient(), ...(resources as never[])], "2020-01-01").eligibility.alreadyDiagnosed;
    expect(diagnosed(condition(CODES.kneeOaIcd10, { onsetDateTime: "2013" }))).toEqual({ date: "2013-01-01", precision: "year" });
    // A dateTime names a day.
    expect(diagnosed(condition(CODES.kneeOaIcd10, { onsetDateTime: "2013-05-17T09:00:00Z" }))).toEqual({ date: "2013-05-17", precision: "day" });
    // An undated Condition takes its Encounter's date, and that date's precision.
    const undated = condition(CODES.kneeOaIcd10, { encounterId: "e1" });
    expect(diagnosed(undated, encounter("2014-06", { id: "e1" }))).toEqual({ date: "2014-06-01", precision: "month" });
    expect(diagnosed(encounter("2015", { reasons: [CODES.kneeOaIcd10] }))).toEqual({ date: "2015-01-01", precision: "year" });
  });

  it("on the same first day, the most precise date of the diagnosis is the one kept, in either order", () => {
    const year = condition(CODES.kneeOaIcd10, { id: "y", onsetDateTime: "2013" });
    const day = condition(CODES.kneeOaSnomed, { id: "d", onsetDateTime: "2013-01-01" });
    for (const order of [[year, day], [day, year]]) {
      const features = buildFeatures([patient(), ...(order as never[])], "2020-01-01");
      expect(features.eligibility.alreadyDiagnosed).toEqual({ date: "2013-01-01", precision: "day" });
    }
    // An earlier day wins over a more precise later one.
    const later = condition(CODES.kneeOaSnomed, { id: "l", onsetDateTime: "2013-03-04" });
    expect(buildFeatures([patient(), later, year], "2020-01-01").eligibility.alreadyDiagnosed).toEqual({ date: "2013-01-01", precision: "year" });
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
