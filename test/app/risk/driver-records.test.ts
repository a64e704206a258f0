import { describe, expect, it } from "vitest";
import type { Resource } from "fhir/r4";
import { recordsByDriver } from "../../../app/risk/driver-records.ts";
import { CODES, concept, condition, encounter, medicationRequest, medicationStatement, patient } from "../../support/fhir-builders.ts";

const as = (value: object) => value as Resource;
// A diagnosis group the model explains (knee OA itself is the outcome, not a reason).
const DIABETES = concept(CODES.diabetes);

describe("recordsByDriver and statuses", () => {
  it("lists no resource the feature builder ignores for its status, not even as undated", () => {
    const records = recordsByDriver(
      [
        as({ resourceType: "Encounter", id: "seen", status: "finished", period: { start: "2019-05-01" }, reasonCode: [DIABETES] }),
        as({ resourceType: "Encounter", id: "cancelled", status: "cancelled", period: { start: "2019-06-01" }, reasonCode: [DIABETES] }),
        as({ resourceType: "Condition", id: "refuted", code: DIABETES, verificationStatus: "refuted", onsetDateTime: "2019-07-01" }),
        as({ resourceType: "Condition", id: "confirmed", code: DIABETES, onsetDateTime: "2019-04-01" }),
      ],
      "2021-01-01",
    );
    const listed = [...records.values()].flat().map((ref) => `${ref.id} ${ref.date}`);
    // Newest first within a reason: the visit of 2019-05-01, then the Condition of 2019-04-01.
    expect([...new Set(listed)]).toEqual(["seen 2019-05-01", "confirmed 2019-04-01"]);
  });

  it("lists no Condition the builder can never use, nor anything that entered the record on or after the index date", () => {
    const records = recordsByDriver(
      [
        // 30 February: an invalid recordedDate, so the builder skips the Condition at every index date.
        condition(CODES.diabetes, { id: "invalid-recorded", onsetDateTime: "2019-03-01", recordedDate: "2019-02-30" }),
        condition(CODES.diabetes, { id: "recorded-on-index", onsetDateTime: "2019-04-01", recordedDate: "2021-01-01" }),
        condition(CODES.diabetes, { id: "recorded-before", onsetDateTime: "2019-04-01", recordedDate: "2020-12-31" }),
        medicationStatement(CODES.naproxen500, "2019-06-01", { id: "asserted-after", dateAsserted: "2021-01-05" }),
        medicationStatement(CODES.naproxen500, "2019-06-01", { id: "asserted-before", dateAsserted: "2020-06-01" }),
      ],
      "2021-01-01",
    );
    const listed = [...records.values()].flat().map((ref) => `${ref.id} ${ref.date}`);
    // Each listed record keeps its clinical day, not the day it was written down.
    expect([...new Set(listed)].sort()).toEqual(["asserted-before 2019-06-01", "recorded-before 2019-04-01"]);
  });

  it("lists of a resource repeated with one id only the version the feature builder keeps, whatever the order", () => {
    const meta = (lastUpdated: string) => ({ meta: { lastUpdated } });
    const confirmed = as({ resourceType: "Condition", id: "c1", code: DIABETES, onsetDateTime: "2019-04-01", ...meta("2020-01-01T00:00:00Z") });
    const retracted = as({ ...confirmed, verificationStatus: "entered-in-error", ...meta("2021-01-01T00:00:00Z") });
    const ibuprofen = as({ resourceType: "Medication", id: "m1", code: { coding: [CODES.ibuprofen200] }, ...meta("2020-01-01T00:00:00Z") });
    const recoded = as({ resourceType: "Medication", id: "m1", code: { text: "not a drug the model knows" }, ...meta("2021-01-01T00:00:00Z") });
    const order = as({ resourceType: "MedicationRequest", id: "rx", status: "active", intent: "order", subject: { reference: "Patient/p1" }, medicationReference: { reference: "Medication/m1" }, authoredOn: "2020-04-01" });
    for (const resources of [[confirmed, retracted, ibuprofen, recoded, order], [retracted, confirmed, recoded, ibuprofen, order]]) {
      for (const scope of ["evidence", "history"] as const) {
        // The builder keeps the later versions: a Condition entered in error, a Medication it cannot map.
        expect([...recordsByDriver(resources, "2021-06-01", scope).keys()]).toEqual([]);
      }
    }
  });

  it("lists as BMI records only the Observations the feature builder reads as body measures (a LOINC coding), in both scopes", () => {
    const bmi = (id: string, system: string, date: string) =>
      as({ resourceType: "Observation", id, status: "final", code: { coding: [{ system, code: "39156-5" }] }, effectiveDateTime: date, valueQuantity: { value: 31, unit: "kg/m2" } });
    const resources = [bmi("loinc", "http://loinc.org", "2020-05-01"), bmi("local", "urn:example:local-codes", "2020-06-01")];
    for (const scope of ["evidence", "history"] as const) {
      expect(recordsByDriver(resources, "2021-01-01", scope).get("bmi")?.map((ref) => ref.id)).toEqual(["loinc"]);
    }
  });

  it("lists under each reason only the concept that makes the record evidence for it, in the record's own words", () => {
    const visit = encounter("2020-03-01", { id: "visit", reasons: [CODES.hypertension, CODES.diabetes] });
    const ibuprofen = medicationRequest(CODES.ibuprofen200, "2020-04-01", { id: "rx" });
    ibuprofen.medicationCodeableConcept!.text = "ibuprofen 200 MG Oral Tablet";
    const records = recordsByDriver([patient({ birthDate: "1960-05-20", gender: "female" }), visit, ibuprofen], "2021-01-01");
    const line = (key: string) => records.get(key)?.map((ref) => ({ id: ref.id, codes: ref.codings.map((c) => c.code), text: ref.text, value: ref.value }));
    expect(line("diagnosis:diabetes")).toEqual([{ id: "visit", codes: ["44054006"], text: undefined, value: undefined }]);
    expect(line("age")).toEqual([{ id: "p1", codes: [], text: "birth date", value: "1960-05-20" }]);
    expect(line("sex")).toEqual([{ id: "p1", codes: [], text: "administrative gender", value: "female" }]);
    const nsaid = [...records.entries()].find(([key]) => key.startsWith("medication:"));
    expect(nsaid?.[1].map((ref) => ref.text)).toEqual(["ibuprofen 200 MG Oral Tablet"]);
  });

  it("dates a Condition without dates of its own by its visit, as the feature builder counts it, in both scopes", () => {
    // No onset, no recordedDate: the builder counts it on the day of the Encounter it points to.
    const problem = as({ resourceType: "Condition", id: "by-visit", code: DIABETES, encounter: { reference: "Encounter/visit" } });
    const visit = as({ resourceType: "Encounter", id: "visit", status: "finished", period: { start: "2020-03-01T10:00:00Z", end: "2020-03-02" } });
    for (const scope of ["evidence", "history"] as const) {
      const listed = recordsByDriver([problem, visit], "2021-01-01", scope).get("diagnosis:diabetes");
      expect(listed?.map((ref) => `${ref.id} ${ref.date}`)).toEqual(["by-visit 2020-03-01"]);
    }
  });

  it("leaves undated a Condition whose visit the builder does not count (cancelled), as it skips the Condition", () => {
    const problem = as({ resourceType: "Condition", id: "by-visit", code: DIABETES, encounter: { reference: "Encounter/visit" } });
    const visit = as({ resourceType: "Encounter", id: "visit", status: "cancelled", period: { start: "2020-03-01" } });
    expect(recordsByDriver([problem, visit], "2021-01-01", "history").get("diagnosis:diabetes")?.map((ref) => ref.date)).toEqual([null]);
    expect(recordsByDriver([problem, visit], "2021-01-01").get("diagnosis:diabetes")).toBeUndefined();
  });
});
