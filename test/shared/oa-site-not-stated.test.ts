/** Whether osteoarthritis without a stated joint was on record before the index date, and the sentence said beside the risk. */
import type { Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { oaSiteNotStated, oaSiteNotStatedCaveat } from "../../shared/oa-site-not-stated.ts";
import { condition, icd10, observation, snomed } from "../support/fhir-builders.ts";

const INDEX = "2025-01-01";
const OA = snomed("396275006"); // Osteoarthritis, no joint named

describe("oaSiteNotStated", () => {
  it("finds the most recent one before the index date, by its clinical day", () => {
    const record: Resource[] = [
      condition(OA, { id: "a", onsetDateTime: "2021-03-02" }),
      condition(icd10("M19.90"), { id: "b", onsetDateTime: "2024-05-01" }),
      condition(snomed("201834006"), { id: "hand", onsetDateTime: "2024-11-01" }),
    ];
    expect(oaSiteNotStated(record, INDEX)).toEqual({ date: "2024-05-01" });
  });

  it("is null without one, for a named joint only, or for another resource type carrying the code", () => {
    expect(oaSiteNotStated([], INDEX)).toBeNull();
    expect(oaSiteNotStated([condition(snomed("201834006"), { onsetDateTime: "2024-01-01" })], INDEX)).toBeNull();
    const notACondition = { ...observation("39156-5", 30, "kg/m2", "2024-01-01"), code: { coding: [OA] } } as Resource;
    expect(oaSiteNotStated([notACondition], INDEX)).toBeNull();
  });

  it("ignores a refuted or entered-in-error Condition, and one that entered the record on or after the index date", () => {
    expect(oaSiteNotStated([condition(OA, { onsetDateTime: "2024-01-01", verification: "refuted" })], INDEX)).toBeNull();
    expect(oaSiteNotStated([condition(OA, { onsetDateTime: "2024-01-01", verification: "entered-in-error" })], INDEX)).toBeNull();
    expect(oaSiteNotStated([condition(OA, { onsetDateTime: "2025-01-01" })], INDEX)).toBeNull();
    // An old onset written down after the index date was not on record at the index date.
    expect(oaSiteNotStated([condition(OA, { onsetDateTime: "2020-01-01", recordedDate: "2025-02-01" })], INDEX)).toBeNull();
    expect(oaSiteNotStated([condition(OA, { onsetDateTime: "2024-12-31" })], INDEX)).toEqual({ date: "2024-12-31" });
  });

  it("counts an undated one (the diagnosis is the point), dated only by the dated ones", () => {
    expect(oaSiteNotStated([condition(OA, { id: "u" })], INDEX)).toEqual({ date: null });
    expect(oaSiteNotStated([condition(OA, { id: "u" }), condition(OA, { id: "d", onsetDateTime: "2023-06-30" })], INDEX)).toEqual({ date: "2023-06-30" });
  });

  it("says what it found and why it matters", () => {
    expect(oaSiteNotStatedCaveat({ date: "2024-05-01" })).toBe(
      "Osteoarthritis without a stated joint is on record (most recently 2024-05-01): if it is the knee, the patient already has knee OA, " +
        "and this estimate of a first knee OA diagnosis does not apply.",
    );
    expect(oaSiteNotStatedCaveat({ date: null })).toContain("is on record (undated)");
  });
});
