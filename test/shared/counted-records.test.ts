import { describe, expect, it } from "vitest";
import type { Resource } from "fhir/r4";
import { countedAsEvidence } from "../../shared/counted-records.ts";
import { parseFhirDay } from "../../shared/fhir-dates.ts";
import { CODES, condition, encounter, medicationRequest, observation, patient } from "../support/fhir-builders.ts";

// Index 2021-01-01: the 156-week (1,092-day) window is 2018-01-05 to 2020-12-31
// (2021-01-01 less 1,096 days is 2018-01-01, and 4 days later).
const INDEX_DAY = parseFhirDay("2021-01-01")!;

const counted = (resources: Resource[]): string[] => {
  const isCounted = countedAsEvidence(resources, INDEX_DAY);
  return resources.filter(isCounted).map((r) => `${r.resourceType}/${r.id}`);
};

describe("countedAsEvidence", () => {
  it("keeps diagnoses inside the 156-week window only", () => {
    expect(
      counted([
        condition(CODES.diabetes, { id: "day-before-window", onsetDateTime: "2018-01-04" }),
        condition(CODES.diabetes, { id: "first-day-of-window", onsetDateTime: "2018-01-05" }),
        encounter("2017-06-01", { id: "old-visit", reasons: [CODES.diabetes] }),
        encounter("2020-12-31", { id: "last-day", reasons: [CODES.diabetes] }),
      ]),
    ).toEqual(["Condition/first-day-of-window", "Encounter/last-day"]);
  });

  it("keeps a Condition without a valid date of its own only when a visit in the window dates it", () => {
    // The builder skips a Condition whose date is invalid ("Condition: invalid date") or missing
    // with no Encounter to take it from ("Condition: no usable date"); one without dates takes its
    // Encounter's day, and a visit that lists a Condition counts it on the visit's day.
    expect(
      counted([
        condition(CODES.diabetes, { id: "invalid-date", onsetDateTime: "2026-13-45" }),
        condition(CODES.diabetes, { id: "no-date" }),
        condition(CODES.diabetes, { id: "dated-by-its-visit", encounterId: "visit-in-window" }),
        condition(CODES.diabetes, { id: "dated-by-old-visit", encounterId: "old-visit" }),
        condition(CODES.diabetes, { id: "listed-by-visit", onsetDateTime: "2026-13-45" }),
        condition(CODES.diabetes, { id: "listed-by-old-visit", onsetDateTime: "2026-13-45" }),
        encounter("2020-06-01", { id: "visit-in-window", diagnosisIds: ["listed-by-visit"] }),
        encounter("2017-06-01", { id: "old-visit", diagnosisIds: ["listed-by-old-visit"] }),
      ]),
    ).toEqual(["Condition/dated-by-its-visit", "Condition/listed-by-visit", "Encounter/visit-in-window"]);
  });

  it("keeps a medication whose covered days reach into the window", () => {
    expect(
      counted([
        // 30 days from 2017-11-01 end on 2017-11-30; from 2017-12-20 they end on 2018-01-18.
        medicationRequest(CODES.naproxen500, "2017-11-01", { id: "ended-before", supplyDays: 30 }),
        medicationRequest(CODES.naproxen500, "2017-12-20", { id: "reaches-in", supplyDays: 30 }),
      ]),
    ).toEqual(["MedicationRequest/reaches-in"]);
  });

  it("keeps only the measurements the latest BMI was taken from", () => {
    const resources = [
      patient(),
      { ...observation("39156-5", 30, "kg/m2", "2019-01-01"), id: "stated-older" },
      { ...observation("29463-7", 75, "kg", "2019-05-01"), id: "older-weight" },
      // Weight and height of 2020-06-01 give a BMI more recent than the stated one: it is used.
      { ...observation("29463-7", 80, "kg", "2020-06-01"), id: "weight" },
      { ...observation("8302-2", 1.8, "m", "2020-06-01"), id: "height" },
    ] as Resource[];
    expect(counted(resources)).toEqual(["Patient/p1", "Observation/weight", "Observation/height"]);
  });
});
