import type { Condition, Patient, Procedure, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { giveKneeReplacement } from "../../../sandbox/demo/give-knee-replacement.ts";
import { FHIR_ID } from "../../../shared/fhir-references.ts";
import { kneeReplaced } from "../../../shared/knee-replaced.ts";
import { keepPatientResources } from "../../../shared/patient-compartment.ts";
import { KNEE_REPLACED } from "../../../shared/valuesets.ts";

// A simulated patient's id is a UUID (models/cohort/ids.ts).
const PATIENT_ID = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const patient: Patient = { resourceType: "Patient", id: PATIENT_ID, birthDate: "1955-05-05" };
const hypertension: Condition = {
  resourceType: "Condition",
  id: "c1",
  subject: { reference: `Patient/${PATIENT_ID}` },
  code: { coding: [{ system: "http://snomed.info/sct", code: "38341003", display: "Hypertension" }] },
  onsetDateTime: "2020-03-01",
};
const END_DATE = "2026-11-27";

function procedureOf(resources: readonly Resource[]): Procedure {
  const procedures = resources.filter((r): r is Procedure => r.resourceType === "Procedure");
  expect(procedures).toHaveLength(1);
  return procedures[0]!;
}

describe("giveKneeReplacement", () => {
  it("adds one completed knee replacement and keeps the record as it was", () => {
    const record = [patient, hypertension];
    const out = giveKneeReplacement(record, END_DATE);
    expect(out.slice(0, 2)).toEqual([patient, hypertension]);
    expect(out).toHaveLength(3);
    expect(record).toHaveLength(2);
    expect(procedureOf(out)).toMatchObject({ status: "completed", subject: { reference: `Patient/${PATIENT_ID}` } });
  });

  it("is found by the shared rule, performed 730 days before the end date", () => {
    expect(kneeReplaced([patient, hypertension], END_DATE)).toBeNull();
    // 2024-11-27 .. 2026-11-27 holds no 29 February (2024's is before 27 November): 2 x 365 days.
    expect(kneeReplaced(giveKneeReplacement([patient, hypertension], END_DATE), END_DATE)).toEqual({ date: "2024-11-27" });
  });

  it("belongs to the patient by the shared ownership rule, and to no other patient", () => {
    const out = giveKneeReplacement([patient, hypertension], END_DATE);
    const procedure = procedureOf(out);
    expect(keepPatientResources([procedure], { patientId: PATIENT_ID }).kept).toEqual([procedure]);
    expect(keepPatientResources([procedure], { patientId: "someone-else" }).dropped).toEqual({ "another patient": 1 });
  });

  it("codes a total knee replacement in SNOMED CT with the value set's display", () => {
    const coding = procedureOf(giveKneeReplacement([patient], END_DATE)).code?.coding ?? [];
    const snomed = coding.find((c) => c.system === "http://snomed.info/sct");
    const entry = KNEE_REPLACED.codes.find((e) => e.system === "snomed" && e.code === snomed?.code);
    expect(entry).toBeDefined();
    expect(snomed?.display).toBe(entry?.display);
  });

  it("has a valid id of its own: not a simulator UUID, one per patient", () => {
    const first = procedureOf(giveKneeReplacement([patient], END_DATE)).id ?? "";
    const other = procedureOf(giveKneeReplacement([{ ...patient, id: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d" }], END_DATE)).id;
    expect(first).toMatch(FHIR_ID);
    expect(first).not.toMatch(UUID);
    expect(other).not.toBe(first);
  });

  it("refuses a record without a Patient and an end date that is not a day", () => {
    expect(() => giveKneeReplacement([hypertension], END_DATE)).toThrow(/no Patient/);
    expect(() => giveKneeReplacement([patient], "2026-11")).toThrow(/end date must be YYYY-MM-DD, got "2026-11"/);
  });
});
