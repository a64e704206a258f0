import { describe, expect, it } from "vitest";
import { buildFeatures } from "../../../shared/features/build-features.ts";
import { CODES, condition, LOINC, observation, patient } from "../../support/fhir-builders.ts";

const INDEX = "2020-01-01";

describe("several versions of one resource", () => {
  it("keep the latest meta.lastUpdated whatever the input order", () => {
    const old = { ...observation(LOINC.bmi, 24, "kg/m2", "2019-06-01", { id: "o1" }), meta: { lastUpdated: "2019-06-01T10:00:00Z" } };
    const fixed = { ...observation(LOINC.bmi, 34, "kg/m2", "2019-06-01", { id: "o1" }), meta: { lastUpdated: "2019-06-02T08:00:00+02:00" } };
    for (const order of [[old, fixed], [fixed, old]]) {
      const features = buildFeatures([patient(), ...(order as never[])], INDEX);
      expect(features.demographics.bmi).toBe(34);
      expect(features.quality.skipped).toEqual({ "Observation: duplicate id": 1 });
    }
  });

  it("break ties by versionId, then by a canonical order, so any order gives the same sequence", () => {
    const meta = (versionId: string) => ({ lastUpdated: "2019-06-01T10:00:00Z", versionId });
    const v2 = { ...condition(CODES.kneeOaIcd10, { id: "c1", onsetDateTime: "2019-02-01" }), meta: meta("2") };
    const v10 = { ...condition(CODES.kneeOaIcd10, { id: "c1", onsetDateTime: "2019-03-01" }), meta: meta("10") };
    const dateOf = (...resources: object[]) => buildFeatures([patient(), ...(resources as never[])], INDEX).eligibility.alreadyDiagnosed;
    expect(dateOf(v2, v10)).toEqual({ date: "2019-03-01", precision: "day" });
    expect(dateOf(v10, v2)).toEqual({ date: "2019-03-01", precision: "day" });
    const a = condition(CODES.kneeOaIcd10, { id: "c2", onsetDateTime: "2019-04-01" });
    const b = condition(CODES.kneeOaIcd10, { id: "c2", onsetDateTime: "2019-05-01" });
    const ab = buildFeatures([patient(), a, b] as never[], INDEX);
    const ba = buildFeatures([patient(), b, a] as never[], INDEX);
    expect(ba.eligibility).toEqual(ab.eligibility);
    expect(Array.from(ba.sequence)).toEqual(Array.from(ab.sequence));
  });
});

describe("meta.lastUpdated without a time zone", () => {
  // 05:00 read as UTC is before 08:00+02:00 (06:00 UTC); read as New York time it would be 09:00 UTC, after it.
  const zoned = { ...observation(LOINC.bmi, 34, "kg/m2", "2019-06-01", { id: "o1" }), meta: { lastUpdated: "2019-06-02T08:00:00+02:00" } };
  const zoneless = { ...observation(LOINC.bmi, 24, "kg/m2", "2019-06-01", { id: "o1" }), meta: { lastUpdated: "2019-06-02T05:00:00" } };

  for (const zone of ["UTC", "America/New_York"]) {
    it(`is read as UTC, not local time (TZ=${zone})`, () => {
      const saved = process.env.TZ;
      process.env.TZ = zone;
      try {
        // The machine's zone really is in effect: a zoneless time parses differently in New York.
        expect(new Date(2019, 5, 2).getTimezoneOffset()).toBe(zone === "UTC" ? 0 : 240);
        for (const order of [[zoned, zoneless], [zoneless, zoned]]) {
          expect(buildFeatures([patient(), ...(order as never[])], INDEX).demographics.bmi).toBe(34);
        }
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    });
  }
});

describe("hostile duplicates", () => {
  it("compares two versions with the same id when one is nested 10,000 levels deep, in either order", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 10_000; i++) deep = { extension: [{ valueString: "x", nested: deep }] };
    const plain = condition(CODES.kneeOaIcd10, { id: "c1", onsetDateTime: "2019-02-01" });
    const nested = { ...condition(CODES.kneeOaIcd10, { id: "c1", onsetDateTime: "2019-03-01" }), extension: [deep] };
    // JSON text: {"resourceType":"Condition","id":"c1",... vs the same with "onsetDateTime":"2019-03-01"...:
    // the texts first differ at the onset month, so the February version sorts first and is kept.
    for (const order of [[plain, nested], [nested, plain]]) {
      const features = buildFeatures([patient(), ...(order as never[])], INDEX);
      expect(features.eligibility.alreadyDiagnosed).toEqual({ date: "2019-02-01", precision: "day" });
      expect(features.quality.skipped).toEqual({ "Condition: duplicate id": 1 });
    }
  });
});
