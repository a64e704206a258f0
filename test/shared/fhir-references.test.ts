import { describe, expect, it } from "vitest";
import type { Resource } from "fhir/r4";
import { medicationIdOf, parseReference, patientIdOf, referenceTarget } from "../../shared/fhir-references.ts";

describe("parseReference", () => {
  it("reads relative, absolute, versioned and urn:uuid references", () => {
    expect(parseReference("Patient/123")).toEqual({ type: "Patient", id: "123" });
    expect(parseReference("https://ehr.example/fhir/R4/Patient/a-b.c")).toEqual({ type: "Patient", id: "a-b.c" });
    expect(parseReference("Patient/9/_history/2")).toEqual({ type: "Patient", id: "9" });
    expect(parseReference("urn:uuid:6c5d9ca9-54d7-42f5-bfae-a7c19cd217f2")).toEqual({
      type: null,
      id: "6c5d9ca9-54d7-42f5-bfae-a7c19cd217f2",
    });
  });

  it("returns null for contained, conditional and non-string references", () => {
    expect(parseReference("#med1")).toBeNull();
    expect(parseReference("Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999974394")).toBeNull();
    expect(parseReference(42)).toBeNull();
    expect(parseReference(undefined)).toBeNull();
  });
});

describe("patientIdOf", () => {
  const as = (value: object) => value as Resource;
  it("uses subject, patient or beneficiary, and a Patient's own id", () => {
    expect(patientIdOf(as({ resourceType: "Patient", id: "p" }))).toBe("p");
    expect(patientIdOf(as({ resourceType: "Condition", subject: { reference: "Patient/p1" } }))).toBe("p1");
    expect(patientIdOf(as({ resourceType: "Immunization", patient: { reference: "urn:uuid:abc-1" } }))).toBe("abc-1");
    expect(patientIdOf(as({ resourceType: "Coverage", beneficiary: { reference: "Patient/p3" } }))).toBe("p3");
  });

  it("ignores subjects that are not patients and Patients without id", () => {
    expect(patientIdOf(as({ resourceType: "Observation", subject: { reference: "Group/g1" } }))).toBeNull();
    expect(patientIdOf(as({ resourceType: "Observation", subject: { display: "no reference" } }))).toBeNull();
    expect(patientIdOf(as({ resourceType: "Patient" }))).toBeNull();
  });

  it("gives no patient id for a Patient whose id no reference can name (outside FHIR's id syntax)", () => {
    for (const id of ["pat_1", "a:b", "x".repeat(65), ""]) {
      expect(patientIdOf(as({ resourceType: "Patient", id }))).toBeNull();
      expect(patientIdOf(as({ resourceType: "Condition", subject: { reference: `Patient/${id}` } }))).toBeNull();
    }
    expect(patientIdOf(as({ resourceType: "Patient", id: "A-z.0".padEnd(64, "9") }))).toBe("A-z.0".padEnd(64, "9"));
  });
});

describe("medicationIdOf", () => {
  it("reads Medication and urn:uuid references, not contained ones", () => {
    const request = (reference: string) => ({ resourceType: "MedicationRequest", medicationReference: { reference } }) as Resource;
    expect(medicationIdOf(request("Medication/m1"))).toBe("m1");
    expect(medicationIdOf(request("urn:uuid:m-2"))).toBe("m-2");
    expect(medicationIdOf(request("#m3"))).toBeNull();
    expect(medicationIdOf(request("Substance/s"))).toBeNull();
  });
});

describe("referenceTarget", () => {
  it("reads relative, absolute, versioned, urn:uuid and contained references", () => {
    expect(referenceTarget({ reference: "Medication/m1" }, "Medication")).toEqual({ id: "m1" });
    expect(referenceTarget({ reference: "https://ehr.example/fhir/Medication/m1/_history/3" }, "Medication")).toEqual({ id: "m1" });
    expect(referenceTarget({ reference: "urn:uuid:5e1f" }, "Medication")).toEqual({ id: "5e1f" });
    expect(referenceTarget({ reference: "#med" }, "Medication")).toEqual({ contained: "med" });
  });

  it("refuses other types and malformed references", () => {
    for (const value of [{ reference: "Substance/m1" }, { reference: "m1" }, { reference: "/m1" }, { reference: "Medication/" }, { reference: 5 }, {}, null, "Medication/m1"]) {
      expect(referenceTarget(value, "Medication"), JSON.stringify(value)).toBeUndefined();
    }
  });
});
