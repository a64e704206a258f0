import { describe, expect, it } from "vitest";
import { buildFeatures } from "../../../shared/features/build-features.ts";
import { CODES, condition, encounter, LOINC, observation, patient } from "../../support/fhir-builders.ts";

const INDEX = "2024-01-01";
const history = [encounter("2021-06-01"), observation(LOINC.bmi, 27, "kg/m2", "2023-05-01")];

describe("eligibility", () => {
  it("accepts an adult with history and BMI, without warnings", () => {
    expect(buildFeatures([patient(), ...history], INDEX).eligibility).toEqual({ eligible: true, reasons: [], warnings: [] });
  });

  it("refuses a patient under the minimum age, 18 by default and configurable", () => {
    const seventeen = [patient({ birthDate: "2006-01-02" }), ...history];
    expect(buildFeatures(seventeen, INDEX).eligibility).toMatchObject({ eligible: false, reasons: ["under_min_age"] });
    expect(buildFeatures([patient({ birthDate: "2006-01-01" }), ...history], INDEX).eligibility.eligible).toBe(true);
    const fifty = [patient({ birthDate: "1974-01-02" }), ...history];
    expect(buildFeatures(fifty, INDEX, { minAgeYears: 50 }).eligibility.reasons).toEqual(["under_min_age"]);
    expect(buildFeatures(fifty, INDEX, { minAgeYears: 49 }).eligibility.eligible).toBe(true);
  });

  it("refuses a patient born after the index date as not yet born, not as under the minimum age", () => {
    // A run for a past index date: born 2024-01-02, the day after INDEX.
    const unborn = buildFeatures([patient({ birthDate: "2024-01-02" }), ...history], INDEX);
    expect(unborn.eligibility).toMatchObject({ eligible: false, reasons: ["born_after_index"] });
    // Born on the index date: 0 years old, so under the minimum age but born.
    expect(buildFeatures([patient({ birthDate: "2024-01-01" }), ...history], INDEX).eligibility.reasons).toEqual(["under_min_age"]);
    // Not born yet whatever the minimum age.
    expect(buildFeatures([patient({ birthDate: "2030-06-01" }), ...history], INDEX, { minAgeYears: 0 }).eligibility.reasons).toEqual(["born_after_index"]);
  });

  it("gives a patient born after the index date the features it gave before that reason existed", () => {
    // Born 2024-01-02, index 2024-01-01: completed years -1, the age input (-1 - 50) / 20 = -2.55.
    const unborn = buildFeatures([patient({ birthDate: "2024-01-02" }), ...history], INDEX);
    expect(unborn.demographics.ageYears).toBe(-1);
    expect(unborn.static[0]).toBe(Math.fround(-2.55));
    // Every other input is the record's, the same as for a born patient with the same record.
    const born = buildFeatures([patient({ birthDate: "1960-05-20" }), ...history], INDEX);
    expect(unborn.sequence).toEqual(born.sequence);
    expect([...unborn.static.slice(1)]).toEqual([...born.static.slice(1)]);
  });

  it("refuses a record without a Patient or without a birth date", () => {
    expect(buildFeatures(history, INDEX).eligibility.reasons).toEqual(["no_patient"]);
    const noBirth = [{ resourceType: "Patient", id: "p1", gender: "male" }, ...history] as never[];
    const features = buildFeatures(noBirth, INDEX);
    expect(features.eligibility.reasons).toEqual(["no_birth_date"]);
    expect(features.demographics.ageYears).toBeNull();
    expect(features.static[0]).toBe(0);
  });

  it("lists every reason that applies, and the knee OA date", () => {
    const features = buildFeatures(
      [patient({ birthDate: "2010-01-01" }), condition(CODES.kneeOaIcd10, { onsetDateTime: "2023-02-03T10:00:00Z" })],
      INDEX,
    );
    expect(features.eligibility).toEqual({
      eligible: false,
      reasons: ["under_min_age", "already_diagnosed"],
      alreadyDiagnosed: { date: "2023-02-03", precision: "day" },
      warnings: ["short_history", "no_bmi"],
    });
  });

  it("warns about less than one year of history", () => {
    const short = buildFeatures([patient(), encounter("2023-01-02"), observation(LOINC.bmi, 27, "kg/m2", "2023-05-01")], INDEX);
    expect(short.eligibility.warnings).toEqual(["short_history"]);
    const year = buildFeatures([patient(), encounter("2022-12-31"), observation(LOINC.bmi, 27, "kg/m2", "2023-05-01")], INDEX);
    expect(year.eligibility.warnings).toEqual([]);
  });
});

describe("input errors", () => {
  it("throws a clear error for a bad index date or options", () => {
    expect(() => buildFeatures([], "2024-02-30")).toThrow(/indexDate must be a calendar date YYYY-MM-DD, got "2024-02-30"/);
    expect(() => buildFeatures([], "2024-01")).toThrow(RangeError);
    expect(() => buildFeatures([], "2024-01-01T00:00:00Z")).toThrow(RangeError);
    expect(() => buildFeatures([], INDEX, { minAgeYears: Number.NaN })).toThrow(/minAgeYears/);
    expect(() => buildFeatures({} as never, INDEX)).toThrow(TypeError);
  });
});

describe("death before the index date", () => {
  it("makes the patient ineligible; a death on or after the index date does not", () => {
    const dead = { ...patient(), deceasedDateTime: "2023-07-14T09:00:00Z" };
    expect(buildFeatures([dead, ...history] as never[], INDEX).eligibility).toMatchObject({ eligible: false, reasons: ["deceased"] });
    const later = { ...patient(), deceasedDateTime: "2024-01-01" };
    expect(buildFeatures([later, ...history] as never[], INDEX).eligibility.eligible).toBe(true);
    const sameYear = { ...patient(), deceasedDateTime: "2024" };
    expect(buildFeatures([sameYear, ...history] as never[], INDEX).eligibility.eligible).toBe(true);
  });
});
