import { describe, expect, it } from "vitest";
import type { Resource } from "fhir/r4";
import { FeatureTally } from "../../../models/features/feature-tally.ts";
import { buildFeatures } from "../../../shared/features/build-features.ts";
import { condition, encounter, patient } from "../../population/fixtures.ts";

const record = (id: string, birthDate: string): Resource[] => [
  patient(id, { birthDate }),
  encounter(`${id}-e`, `Patient/${id}`, "2015-01-01"),
  condition(`${id}-c`, `Patient/${id}`, "72892002", "2015-02-01"),
  { resourceType: "Condition", id: `${id}-bad`, subject: { reference: `Patient/${id}` }, code: { text: "x" }, onsetDateTime: "2015-13-01" } as Resource,
];

describe("FeatureTally", () => {
  it("counts rows and eligibility per build, skipped resources and unmapped codes once per patient", () => {
    const tally = new FeatureTally();
    const adult = record("a", "1950-01-01");
    expect(tally.addRow(buildFeatures(adult, "2016-01-01"))).toBe(true);
    expect(tally.addRow(buildFeatures(adult, "2017-01-01"))).toBe(true);
    tally.endPatient();
    expect(tally.addRow(buildFeatures(record("c", "2010-01-01"), "2016-01-01"))).toBe(false);
    tally.endPatient();

    expect([tally.rows, tally.eligibleRows]).toEqual([3, 2]);
    expect(tally.ineligible).toEqual({ under_min_age: 1 });
    // 2015-01-01 to 2016-01-01 is under one year of history by the builder's rule; 2017 is not.
    expect(tally.warnings).toEqual({ no_bmi: 2, short_history: 1 });
    expect(tally.topUnmapped(5)).toEqual([{ code: "http://snomed.info/sct|72892002", count: 2, patients: 2 }]);
    const skippedTotal = Object.values(tally.skipped).reduce((a, b) => a + b, 0);
    expect(skippedTotal).toBe(2);
  });
});
