import { describe, expect, it } from "vitest";
import { buildFeatures } from "../../../shared/features/build-features.ts";
import { STATIC_FEATURES } from "../../../shared/features/spec.ts";
import { f32 } from "../../support/feature-cells.ts";
import { CODES, condition, encounter, LOINC, medicationRequest, observation, patient } from "../../support/fhir-builders.ts";

const INDEX = "2024-01-01";
const staticOf = (features: ReturnType<typeof buildFeatures>) =>
  Object.fromEntries(STATIC_FEATURES.map((name, i) => [name, features.static[i]]));

describe("age and sex", () => {
  it("uses completed years at the index date, with scaling (age - 50) / 20", () => {
    const features = buildFeatures([patient({ birthDate: "1964-01-01", gender: "male" })], INDEX);
    expect(features.demographics.ageYears).toBe(60);
    expect(staticOf(features)).toMatchObject({ age: f32(0.5), sex_female: 0, sex_male: 1 });
    const dayBefore = buildFeatures([patient({ birthDate: "1964-01-02" })], INDEX);
    expect(dayBefore.demographics.ageYears).toBe(59);
  });

  it("reads partial birth dates as their first day", () => {
    expect(buildFeatures([patient({ birthDate: "1964" })], "2023-12-31").demographics.ageYears).toBe(59);
    expect(buildFeatures([patient({ birthDate: "1964-06" })], "2024-06-01").demographics.ageYears).toBe(60);
    expect(buildFeatures([patient({ birthDate: "1964-06" })], "2024-05-31").demographics.ageYears).toBe(59);
  });

  it("encodes other and unknown sex as both flags 0", () => {
    for (const gender of ["other", "unknown"] as const) {
      const features = buildFeatures([patient({ gender })], INDEX);
      expect(features.demographics.sex).toBe(gender);
      expect(staticOf(features)).toMatchObject({ sex_female: 0, sex_male: 0 });
    }
    const female = buildFeatures([patient({ gender: "female" })], INDEX);
    expect(staticOf(female)).toMatchObject({ sex_female: 1, sex_male: 0 });
  });
});

describe("BMI", () => {
  it("takes the latest BMI observation before the index date, scaled (BMI - 28) / 6", () => {
    const features = buildFeatures(
      [
        patient(),
        observation(LOINC.bmi, 25, "kg/m2", "2022-05-01"),
        observation(LOINC.bmi, 31, "kg/m2", "2023-11-15"),
        observation(LOINC.bmi, 40, "kg/m2", "2024-01-01"),
      ],
      INDEX,
    );
    expect(features.demographics).toMatchObject({ bmi: 31, bmiDate: "2023-11-15" });
    expect(staticOf(features)).toMatchObject({ bmi: f32(0.5), bmi_missing: 0 });
    expect(features.quality.ignoredOnOrAfterIndex).toBe(1);
  });

  it("computes BMI from the latest weight and height, in kg/cm or lb/in", () => {
    const metric = buildFeatures(
      [patient(), observation(LOINC.weight, 81, "kg", "2023-10-01"), observation(LOINC.height, 180, "cm", "2019-02-01")],
      INDEX,
    );
    expect(metric.demographics.bmi).toBeCloseTo(25, 10);
    expect(metric.demographics.bmiDate).toBe("2023-10-01");
    const imperial = buildFeatures(
      [patient(), observation(LOINC.weight, 200, "[lb_av]", "2023-10-01"), observation(LOINC.height, 70, "[in_i]", "2023-10-01")],
      INDEX,
    );
    expect(imperial.demographics.bmi).toBeCloseTo((200 * 0.45359237) / (70 * 0.0254) ** 2, 10);
    const metres = buildFeatures(
      [patient(), observation(LOINC.weight, 90000, "g", "2023-10-01"), observation(LOINC.height, 2, undefined, "2023-10-01")],
      INDEX,
    );
    expect(metres.demographics.bmi).toBeCloseTo(22.5, 10);
  });

  it("breaks same-day ties: the larger of two same-day values, and a stated BMI over a computed one", () => {
    const twoStated = [observation(LOINC.bmi, 31, "kg/m2", "2023-11-15"), observation(LOINC.bmi, 25, "kg/m2", "2023-11-15")];
    for (const order of [twoStated, [...twoStated].reverse()]) {
      expect(buildFeatures([patient(), ...order], INDEX).demographics.bmi).toBe(31);
    }
    // Weights of 81 and 72.9 kg on one day with 1.8 m: the larger weight gives BMI 25 (72.9 would give 22.5).
    const twoWeights = [observation(LOINC.weight, 72.9, "kg", "2023-10-01"), observation(LOINC.weight, 81, "kg", "2023-10-01"), observation(LOINC.height, 1.8, "m", "2023-10-01")];
    expect(buildFeatures([patient(), ...twoWeights], INDEX).demographics.bmi).toBeCloseTo(25, 10);
    // Stated 30 and computed 25 (81 kg, 1.8 m) on the same day: the stated value wins.
    const statedAndComputed = [observation(LOINC.weight, 81, "kg", "2023-10-01"), observation(LOINC.height, 1.8, "m", "2023-10-01"), observation(LOINC.bmi, 30, "kg/m2", "2023-10-01")];
    expect(buildFeatures([patient(), ...statedAndComputed], INDEX).demographics).toMatchObject({ bmi: 30, bmiDate: "2023-10-01" });
  });

  it("prefers whichever is more recent: a stated BMI or weight with height", () => {
    const resources = [
      patient(),
      observation(LOINC.bmi, 30, "kg/m2", "2023-06-01"),
      observation(LOINC.weight, 81, "kg", "2023-09-01"),
      observation(LOINC.height, 1.8, "m", "2020-01-01"),
    ];
    expect(buildFeatures(resources, INDEX).demographics.bmi).toBeCloseTo(25, 10);
    expect(buildFeatures(resources, "2023-08-01").demographics).toMatchObject({ bmi: 30, bmiDate: "2023-06-01" });
  });

  it("flags a missing BMI and skips implausible values, unknown units and entered-in-error", () => {
    const features = buildFeatures(
      [
        patient(),
        observation(LOINC.bmi, 3, "kg/m2", "2023-06-01"),
        observation(LOINC.weight, 80, "stone", "2023-06-01"),
        observation(LOINC.bmi, 30, "kg/m2", "2023-06-02", { status: "entered-in-error" }),
        observation(LOINC.height, 170, "cm", "2023-06-01"),
      ],
      INDEX,
    );
    expect(features.demographics.bmi).toBeNull();
    expect(features.demographics.bmiDate).toBeUndefined();
    expect(staticOf(features)).toMatchObject({ bmi: 0, bmi_missing: 1 });
    expect(features.eligibility.warnings).toContain("no_bmi");
    expect(features.quality.skipped).toEqual({
      "Observation: implausible value": 1,
      "Observation: unknown unit": 1,
      "Observation: status entered-in-error": 1,
    });
  });
});

describe("years of history", () => {
  it("runs from the earliest dated resource to the index date, capped at 3, scaled / 3", () => {
    const oneAndHalf = buildFeatures(
      [patient(), encounter("2022-07-02"), observation("72514-3", 4, undefined, "2023-01-01")],
      "2024-01-01",
    );
    expect(oneAndHalf.demographics.historyYears).toBeCloseTo(548 / 365.25, 12);
    expect(staticOf(oneAndHalf).history_years).toBe(f32(548 / 365.25 / 3));
    const long = buildFeatures([patient(), medicationRequest(CODES.naproxen500, "2015-01-01")], INDEX);
    expect(long.demographics.historyYears).toBe(3);
    expect(staticOf(long).history_years).toBe(1);
  });

  it("dates a Condition's place in the record by recordedDate, not by an old onset", () => {
    const features = buildFeatures(
      [patient(), condition(CODES.diabetes, { onsetDateTime: "2001-01-01", recordedDate: "2023-07-01" })],
      INDEX,
    );
    expect(features.demographics.historyYears).toBeCloseTo(184 / 365.25, 12);
    expect(features.eligibility.warnings).toEqual(["short_history", "no_bmi"]);
  });
});

describe("BMI code systems", () => {
  it("reads a BMI coded with the LOINC OID like one coded with http://loinc.org", () => {
    const bmi = { ...observation(LOINC.bmi, 32, "kg/m2", "2023-05-01"), code: { coding: [{ system: "urn:oid:2.16.840.1.113883.6.1", code: LOINC.bmi }] } };
    const features = buildFeatures([patient(), bmi] as never[], INDEX);
    expect(features.demographics).toMatchObject({ bmi: 32, bmiDate: "2023-05-01" });
  });
});
