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
    expect(dateOf(v2, v10)).toEqual({ date: "2019-03-01" });
    expect(dateOf(v10, v2)).toEqual({ date: "2019-03-01" });
    const a = condition(CODES.kneeOaIcd10, { id: "c2", onsetDateTime: "2019-04-01" });
    const b = condition(CODES.kneeOaIcd10, { id: "c2", onsetDateTime: "2019-05-01" });
    const ab = buildFeatures([patient(), a, b] as never[], INDEX);
    const ba = buildFeatures([patient(), b, a] as never[], INDEX);
    expect(ba.eligibility).toEqual(ab.eligibility);
    expect(Array.from(ba.sequence)).toEqual(Array.from(ab.sequence));
  });
});
