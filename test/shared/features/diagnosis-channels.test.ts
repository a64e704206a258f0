import { describe, expect, it } from "vitest";
import { buildFeatures } from "../../../shared/features/build-features.ts";
import { activeChannels, f32, weeksOf } from "../../support/feature-cells.ts";
import { CODES, condition, encounter, icd10, patient, snomed } from "../../support/fhir-builders.ts";

// Index 2024-01-01: week 155 is 2023-12-25..31, week 154 is 2023-12-18..24, week 0 starts 2021-01-04.
const INDEX = "2024-01-01";
const build = (...resources: object[]) => buildFeatures([patient(), ...(resources as never[])], INDEX);

describe("diagnosis channels", () => {
  it("counts distinct visit days in a week over 7", () => {
    const features = build(
      encounter("2023-12-25", { reasons: [CODES.diabetes] }),
      encounter("2023-12-27T09:00:00Z", { reasons: [CODES.diabetes] }),
      encounter("2023-12-27T15:00:00Z", { reasons: [CODES.diabetes] }),
      encounter("2023-12-31", { reasons: [CODES.diabetes] }),
    );
    expect(weeksOf(features, "diabetes")).toEqual({ 155: f32(3 / 7) });
    expect(activeChannels(features)).toEqual(["diabetes"]);
    expect(features.quality.resourcesUsed).toBe(5);
  });

  it("covers exactly the 156 weeks that end the day before the index date", () => {
    const features = build(
      encounter("2021-01-03", { reasons: [CODES.diabetes] }),
      encounter("2021-01-04", { reasons: [CODES.diabetes] }),
      encounter("2023-12-31", { reasons: [CODES.diabetes] }),
      encounter("2024-01-01", { reasons: [CODES.diabetes] }),
    );
    expect(weeksOf(features, "diabetes")).toEqual({ 0: f32(1 / 7), 155: f32(1 / 7) });
    expect(features.quality.ignoredOnOrAfterIndex).toBe(1);
  });

  it("counts a problem-list Condition on its onset day only", () => {
    const features = build(
      condition(CODES.hypertension, { category: "problem-list-item", onsetDateTime: "2023-12-19", recordedDate: "2023-12-27" }),
    );
    expect(weeksOf(features, "hypertension")).toEqual({ 154: f32(1 / 7) });
  });

  it("dates a Condition by onsetDateTime, onsetPeriod.start, recordedDate, then its Encounter", () => {
    const features = build(
      condition(CODES.diabetes, { onsetPeriodStart: "2023-12-18", recordedDate: "2023-12-30" }),
      condition(CODES.hypertension, { recordedDate: "2023-12-30" }),
      encounter("2023-12-11", { id: "e1" }),
      condition(CODES.aclInjury, { category: "encounter-diagnosis", encounterId: "e1" }),
    );
    expect(weeksOf(features, "diabetes")).toEqual({ 154: f32(1 / 7) });
    expect(weeksOf(features, "hypertension")).toEqual({ 155: f32(1 / 7) });
    expect(weeksOf(features, "knee_injury")).toEqual({ 153: f32(1 / 7) });
  });

  it("counts Conditions an Encounter lists as diagnoses on the encounter's day", () => {
    const features = build(
      condition(CODES.hypertension, { id: "c1", onsetDateTime: "2015-03-02", category: "problem-list-item" }),
      encounter("2023-12-20", { diagnosisIds: ["c1"] }),
      encounter("2023-12-21", { diagnosisIds: ["c1"] }),
      encounter("2023-12-26", { diagnosisIds: ["missing"] }),
    );
    expect(weeksOf(features, "hypertension")).toEqual({ 154: f32(2 / 7) });
  });

  it("ignores entered-in-error and refuted Conditions, also when an Encounter points to them", () => {
    const features = build(
      condition(CODES.diabetes, { id: "wrong", onsetDateTime: "2023-12-19", verification: "entered-in-error" }),
      condition(CODES.hypertension, { onsetDateTime: "2023-12-19", verification: "refuted" }),
      condition(CODES.aclInjury, { onsetDateTime: "2023-12-19", verification: "confirmed" }),
      encounter("2023-12-28", { diagnosisIds: ["wrong"] }),
      encounter("2023-12-29", { reasons: [CODES.diabetes], status: "entered-in-error" }),
      encounter("2023-12-30", { reasons: [CODES.diabetes], status: "cancelled" }),
    );
    expect(activeChannels(features)).toEqual(["knee_injury"]);
    expect(features.quality.skipped).toEqual({
      "Condition: verificationStatus entered-in-error": 1,
      "Condition: verificationStatus refuted": 1,
      "Encounter: status entered-in-error": 1,
      "Encounter: status cancelled": 1,
    });
  });

  it("honours an entered-in-error or refuted verificationStatus sent as a plain string (FHIR STU3)", () => {
    const stu3 = (code: typeof CODES.diabetes, status: string) => ({ ...condition(code, { onsetDateTime: "2023-12-19" }), verificationStatus: status });
    const features = build(stu3(CODES.diabetes, "entered-in-error"), stu3(CODES.hypertension, "refuted"), stu3(CODES.aclInjury, "confirmed"));
    expect(activeChannels(features)).toEqual(["knee_injury"]);
    expect(features.quality.skipped).toEqual({
      "Condition: verificationStatus entered-in-error": 1,
      "Condition: verificationStatus refuted": 1,
    });
  });

  it("skips a Condition whose recordedDate is invalid instead of dating the record from its onset", () => {
    // The onset alone would give three years of history; the only other resource gives 31 days.
    const features = build(
      condition(CODES.diabetes, { onsetDateTime: "2021-01-10", recordedDate: "2023-13-45" }),
      encounter("2023-12-01", { reasons: [CODES.hypertension] }),
    );
    expect(activeChannels(features)).toEqual(["hypertension"]);
    expect(features.quality.skipped).toEqual({ "Condition: invalid recordedDate": 1 });
    expect(features.demographics.historyYears).toBeCloseTo(31 / 365.25, 6);
  });

  it("ignores a Condition recorded on or after the index date, whatever its onset", () => {
    const features = build(condition(CODES.diabetes, { onsetDateTime: "2023-06-01", recordedDate: "2024-01-01" }));
    expect(activeChannels(features)).toEqual([]);
    expect(features.quality.ignoredOnOrAfterIndex).toBe(1);
  });

  it("matches every coding of a concept (ICD-10-CM knee pain, SNOMED and ICD-10-CM obesity)", () => {
    const features = build(
      encounter("2023-12-26", { reasons: [icd10("M25.561")] }),
      condition([snomed("162864005"), icd10("E66.9")], { onsetDateTime: "2023-12-26" }),
    );
    expect(weeksOf(features, "knee_pain")).toEqual({ 155: f32(1 / 7) });
    expect(weeksOf(features, "obesity")).toEqual({ 155: f32(1 / 7) });
  });

  it("counts unmapped codings by system and code, only of concepts none of whose codings matched", () => {
    const features = build(
      encounter("2023-12-26", { reasons: [snomed("185349003")] }),
      encounter("2023-12-27", { reasons: [snomed("185349003")] }),
      // Used through its diabetes coding: its other coding is not a code the model missed.
      condition([snomed("999999999"), CODES.diabetes], { onsetDateTime: "2023-12-26" }),
    );
    expect(features.quality.unmappedCodes).toEqual({ "http://snomed.info/sct|185349003": 2 });
    expect(weeksOf(features, "diabetes")).toEqual({ 155: f32(1 / 7) });
  });
});

describe("knee OA before the index date", () => {
  it("makes the patient ineligible with the earliest date, and is not a channel", () => {
    const features = build(
      condition(CODES.kneeOaSnomed, { onsetDateTime: "2022-03-10" }),
      encounter("2019-07-01", { reasons: [CODES.kneeOaIcd10] }),
    );
    expect(features.eligibility.eligible).toBe(false);
    expect(features.eligibility.reasons).toEqual(["already_diagnosed"]);
    expect(features.eligibility.alreadyDiagnosed).toEqual({ date: "2019-07-01", precision: "day" });
    expect(activeChannels(features)).toEqual([]);
  });

  it("does not count knee OA on or after the index date", () => {
    const features = build(condition(CODES.kneeOaIcd10, { onsetDateTime: "2024-01-01T00:30:00Z" }));
    expect(features.eligibility.eligible).toBe(true);
    expect(features.eligibility.alreadyDiagnosed).toBeUndefined();
  });
});

describe("Encounter references to Conditions", () => {
  it("follows reasonReference and contained Conditions, dated by the encounter", () => {
    const visit = {
      ...encounter("2023-12-20"),
      reasonReference: [{ reference: "Condition/c9" }],
      diagnosis: [{ condition: { reference: "#local" } }],
      contained: [condition(CODES.aclInjury, { id: "local" })],
    };
    const features = build(condition(CODES.diabetes, { id: "c9", onsetDateTime: "2001-01-01" }), visit);
    expect(weeksOf(features, "diabetes")).toEqual({ 154: f32(1 / 7) });
    expect(weeksOf(features, "knee_injury")).toEqual({ 154: f32(1 / 7) });
  });
});
