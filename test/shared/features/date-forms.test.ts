import { describe, expect, it } from "vitest";
import { buildFeatures } from "../../../shared/features/build-features.ts";
import { f32, weeksOf } from "../../support/feature-cells.ts";
import { CODES, condition, encounter, medicationStatement, patient } from "../../support/fhir-builders.ts";

// Index 2024-01-01 (a Monday): week 155 is Mon 2023-12-25..Sun 12-31, week 154 is 12-18..24,
// week 104 starts 2023-01-02, week 100 starts 2022-12-05.
const INDEX = "2024-01-01";
const diabetesWeeks = (onsetDateTime: string) =>
  weeksOf(buildFeatures([patient(), condition(CODES.diabetes, { onsetDateTime })], INDEX), "diabetes");
const ONE_DAY = f32(1 / 7);

describe("date forms", () => {
  it("reads a full date as that UTC day", () => {
    expect(diabetesWeeks("2023-12-24")).toEqual({ 154: ONE_DAY });
    expect(diabetesWeeks("2023-12-25")).toEqual({ 155: ONE_DAY });
  });

  it("reads a year or year-month as its first day", () => {
    expect(diabetesWeeks("2023")).toEqual({ 103: ONE_DAY }); // 2023-01-01, a Sunday
    expect(diabetesWeeks("2023-12")).toEqual({ 151: ONE_DAY }); // 2023-12-01, a Friday (week 151: 11-27..12-03)
  });

  it("reads a null birthDate as absent, not as invalid", () => {
    const features = buildFeatures([{ ...patient(), birthDate: null } as never, condition(CODES.diabetes, { onsetDateTime: "2023-12-24" })], INDEX);
    expect(features.demographics.ageYears).toBeNull();
    expect(features.quality.skipped).toEqual({});
    expect(features.eligibility.reasons).toEqual(["no_birth_date"]);
  });

  it("moves dateTimes with offsets to their UTC day, across week boundaries", () => {
    expect(diabetesWeeks("2023-12-24T20:00:00-05:00")).toEqual({ 155: ONE_DAY }); // 01:00Z on the 25th
    expect(diabetesWeeks("2023-12-25T01:00:00+02:00")).toEqual({ 154: ONE_DAY }); // 23:00Z on the 24th
    expect(diabetesWeeks("2023-12-24T23:59:59Z")).toEqual({ 154: ONE_DAY });
    expect(diabetesWeeks("2023-12-25T00:00:00.000Z")).toEqual({ 155: ONE_DAY });
  });

  it("keeps a late-evening dateTime that is already the index day in UTC out of the features", () => {
    const features = buildFeatures([patient(), condition(CODES.diabetes, { onsetDateTime: "2023-12-31T19:30:00-05:00" })], INDEX);
    expect(weeksOf(features, "diabetes")).toEqual({});
    expect(features.quality.ignoredOnOrAfterIndex).toBe(1);
  });

  it("counts resources with invalid dates as skipped, whatever the resource type", () => {
    const features = buildFeatures(
      [
        patient({ birthDate: "1960-02-30" }),
        condition(CODES.diabetes, { onsetDateTime: "2023-13-01" }),
        condition(CODES.diabetes, {}),
        encounter("23-12-01", { reasons: [CODES.diabetes] }),
        medicationStatement(CODES.naproxenIngredient, "2023-12-01T25:00:00Z"),
      ],
      INDEX,
    );
    expect(weeksOf(features, "diabetes")).toEqual({});
    expect(features.quality.skipped).toEqual({
      "Patient: invalid birthDate": 1,
      "Condition: invalid date": 1,
      "Condition: no usable date": 1,
      "Encounter: invalid date": 1,
      "MedicationStatement: invalid date": 1,
    });
    expect(features.eligibility.reasons).toEqual(["no_birth_date"]);
  });
});
