/** The shared model-input rule: every resource but Observations other than BMI, weight and height. */
import type { Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { isModelInput, keepModelInput } from "../../shared/model-input.ts";

const observation = (id: string, system: string, code: string) =>
  ({ resourceType: "Observation", id, status: "final", code: { coding: [{ system, code }] } }) as Resource;

describe("isModelInput", () => {
  it("keeps BMI, weight and height under any LOINC spelling the feature builder reads", () => {
    expect(isModelInput(observation("bmi", "http://loinc.org", "39156-5"))).toBe(true);
    expect(isModelInput(observation("weight", "http://loinc.org", "29463-7"))).toBe(true);
    // LOINC's OID (HL7 v3 style), which the feature builder also recognises.
    expect(isModelInput(observation("height", "urn:oid:2.16.840.1.113883.6.1", "8302-2"))).toBe(true);
  });

  it("sets aside other Observations: a lab result, a smoking status, a KL grade, a body-measure code of another system", () => {
    expect(isModelInput(observation("glucose", "http://loinc.org", "2345-7"))).toBe(false);
    expect(isModelInput(observation("smoking", "http://loinc.org", "72166-2"))).toBe(false);
    expect(isModelInput(observation("kl", "https://patella.example.org/fhir/CodeSystem/imaging-ai", "kl-grade"))).toBe(false);
    expect(isModelInput(observation("local", "http://ehr.example/codes", "39156-5"))).toBe(false);
    expect(isModelInput({ resourceType: "Observation", id: "uncoded" } as Resource)).toBe(false);
  });

  it("keeps every other resource type", () => {
    for (const resourceType of ["Patient", "Condition", "Encounter", "MedicationRequest", "MedicationStatement", "MedicationDispense", "Medication"]) {
      expect(isModelInput({ resourceType, id: "x" } as Resource)).toBe(true);
    }
  });
});

describe("keepModelInput", () => {
  it("keeps the input in order and counts what it sets aside", () => {
    const resources = [
      { resourceType: "Patient", id: "p1" } as Resource,
      observation("glucose", "http://loinc.org", "2345-7"),
      observation("bmi", "http://loinc.org", "39156-5"),
      observation("hba1c", "http://loinc.org", "4548-4"),
    ];
    const { kept, notModelInput } = keepModelInput(resources);
    expect(kept.map((r) => r.id)).toEqual(["p1", "bmi"]);
    expect(notModelInput).toBe(2);
  });
});
