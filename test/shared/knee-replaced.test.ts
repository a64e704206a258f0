/** Whether a knee replacement was on record before the index date, and the sentence said beside the risk. */
import type { Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { kneeReplaced, kneeReplacedCaveat } from "../../shared/knee-replaced.ts";
import { condition, icd10, observation, procedure, snomed } from "../support/fhir-builders.ts";

const INDEX = "2025-01-01";
const TKR = snomed("609588000"); // Total knee replacement
const PCS_LEFT_KNEE = { system: "http://www.cms.gov/Medicare/Coding/ICD10", code: "0SRD0JZ" };
const ARTIFICIAL_KNEE = icd10("Z96.652"); // Presence of left artificial knee joint

describe("kneeReplaced", () => {
  it("finds the most recent one before the index date, from Procedures and the problem list", () => {
    const record: Resource[] = [
      procedure(TKR, { performedDateTime: "2019-04-02" }),
      procedure(PCS_LEFT_KNEE, { performedPeriod: { start: "2022-09-14", end: "2022-09-14" } }),
      condition(ARTIFICIAL_KNEE, { onsetDateTime: "2021-01-10" }),
      procedure(snomed("52734007"), { performedDateTime: "2024-06-01" }), // a hip replacement
    ];
    expect(kneeReplaced(record, INDEX)).toEqual({ date: "2022-09-14" });
    expect(kneeReplaced([condition(ARTIFICIAL_KNEE, { onsetDateTime: "2021-01-10" })], INDEX)).toEqual({ date: "2021-01-10" });
  });

  it("dates a Procedure by its period's end when the period has no start", () => {
    expect(kneeReplaced([procedure(TKR, { performedPeriod: { end: "2023-03-03" } })], INDEX)).toEqual({ date: "2023-03-03" });
  });

  it("is null without one, and for the code on a resource that is neither a Procedure nor a Condition", () => {
    expect(kneeReplaced([], INDEX)).toBeNull();
    expect(kneeReplaced([procedure(snomed("52734007"), { performedDateTime: "2024-06-01" })], INDEX)).toBeNull();
    const notAProcedure = { ...observation("39156-5", 30, "kg/m2", "2024-01-01"), code: { coding: [TKR] } } as Resource;
    expect(kneeReplaced([notAProcedure], INDEX)).toBeNull();
  });

  it("ignores a replacement not done, only being prepared, entered in error, or performed on or after the index date", () => {
    for (const status of ["not-done", "preparation", "entered-in-error"] as const) {
      expect(kneeReplaced([procedure(TKR, { performedDateTime: "2024-01-01" }, { status })], INDEX), status).toBeNull();
    }
    for (const status of ["in-progress", "on-hold", "stopped", "unknown"] as const) {
      expect(kneeReplaced([procedure(TKR, { performedDateTime: "2024-01-01" }, { status })], INDEX), status).toEqual({ date: "2024-01-01" });
    }
    expect(kneeReplaced([procedure(TKR, { performedDateTime: "2025-01-01" })], INDEX)).toBeNull();
    expect(kneeReplaced([procedure(TKR, { performedDateTime: "2024-12-31" })], INDEX)).toEqual({ date: "2024-12-31" });
  });

  it("ignores a refuted artificial knee, and one that entered the record on or after the index date", () => {
    expect(kneeReplaced([condition(ARTIFICIAL_KNEE, { onsetDateTime: "2024-01-01", verification: "refuted" })], INDEX)).toBeNull();
    expect(kneeReplaced([condition(ARTIFICIAL_KNEE, { onsetDateTime: "2020-01-01", recordedDate: "2025-02-01" })], INDEX)).toBeNull();
  });

  it("counts an undated one, dated only by the dated ones", () => {
    expect(kneeReplaced([procedure(TKR)], INDEX)).toEqual({ date: null });
    expect(kneeReplaced([procedure(TKR), condition(ARTIFICIAL_KNEE, { onsetDateTime: "2023-06-30" })], INDEX)).toEqual({ date: "2023-06-30" });
  });

  it("says what it found and why it matters", () => {
    expect(kneeReplacedCaveat({ date: "2022-09-14" })).toBe(
      "A knee replacement is on record (most recently 2022-09-14): knee replacement is done mostly for knee osteoarthritis, " +
        "so the patient likely already has knee OA, and this estimate of a first knee OA diagnosis may not apply.",
    );
    expect(kneeReplacedCaveat({ date: null })).toContain("is on record (undated)");
  });
});
