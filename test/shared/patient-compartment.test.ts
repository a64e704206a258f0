import type { Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { foreignReason, keepPatientResources, type PatientContext } from "../../shared/patient-compartment.ts";

const as = (value: object) => value as Resource;
const context: PatientContext = { patientId: "p1", fhirBaseUrl: "https://ehr.example/fhir/", patientUrns: new Set(["urn:uuid:abc"]) };
const condition = (subject: unknown) => as({ resourceType: "Condition", subject });

describe("foreignReason", () => {
  it("keeps references that name the patient: relative, versioned, absolute on the base, the Bundle's urn:uuid", () => {
    for (const reference of ["Patient/p1", "Patient/p1/_history/2", "https://ehr.example/fhir/Patient/p1", "urn:uuid:abc"]) {
      expect(foreignReason(condition({ reference }), context)).toBeNull();
    }
    expect(foreignReason(as({ resourceType: "Coverage", beneficiary: { reference: "Patient/p1" } }), context)).toBeNull();
  });

  it("a base given with or without a trailing slash is the same base", () => {
    const noSlash = { patientId: "p1", fhirBaseUrl: "https://ehr.example/fhir" };
    expect(foreignReason(condition({ reference: "https://ehr.example/fhir/Patient/p1" }), noSlash)).toBeNull();
    expect(foreignReason(condition({ reference: "https://ehr.example/fhir2/Patient/p1" }), noSlash)).toBe(
      "absolute reference not on the FHIR server's base",
    );
  });

  it("each context keeps its own base when contexts of two servers alternate", () => {
    const first = { patientId: "p1", fhirBaseUrl: "https://one.example/fhir" };
    const second = { patientId: "p1", fhirBaseUrl: "https://two.example/r4" };
    for (let round = 0; round < 2; round++) {
      expect(foreignReason(condition({ reference: "https://one.example/fhir/Patient/p1" }), first)).toBeNull();
      expect(foreignReason(condition({ reference: "https://one.example/fhir/Patient/p1" }), second)).toBe("absolute reference not on the FHIR server's base");
      expect(foreignReason(condition({ reference: "https://two.example/r4/Patient/p1" }), second)).toBeNull();
      expect(foreignReason(condition({ reference: "https://two.example/r4/Patient/p1" }), first)).toBe("absolute reference not on the FHIR server's base");
    }
  });

  it("compares an absolute reference with the base in one spelling: host case and a default port do not matter, the path's case and another port do", () => {
    const spelt = { patientId: "p1", fhirBaseUrl: "https://EHR.example:443/fhir/" };
    for (const reference of ["https://ehr.example/fhir/Patient/p1", "https://EHR.EXAMPLE:443/fhir/Patient/p1/_history/3"]) {
      expect(foreignReason(condition({ reference }), spelt), reference).toBeNull();
    }
    for (const reference of ["https://ehr.example:8443/fhir/Patient/p1", "https://ehr.example/FHIR/Patient/p1", "http://ehr.example/fhir/Patient/p1", "https://ehr.example.evil/fhir/Patient/p1"]) {
      expect(foreignReason(condition({ reference }), spelt), reference).toBe("absolute reference not on the FHIR server's base");
    }
    expect(foreignReason(condition({ reference: "https://ehr.example/fhir/Patient/p2" }), spelt)).toBe("another patient");
  });

  it("takes only a reference already in plain form: what URL would have to clean up (dot segments, backslashes, white space, user info, international host names) proves nothing", () => {
    const base = { patientId: "p1", fhirBaseUrl: "https://ehr.example/fhir" };
    for (const reference of [
      "https://ehr.example\\@evil.example/../fhir/Patient/p1",
      "https://ehr.example/fhir2/../fhir/Patient/p1",
      "https://ehr.example/fhir/%2e%2e/fhir/Patient/p1",
      "https://ehr.example/./fhir/Patient/p1",
      "https://ehr.example\\fhir\\Patient\\p1",
      "https:///ehr.example/fhir/Patient/p1",
      "https://ehr.example/fhir/Patient/p\t1",
      "https://ehr.example/fhir/Patient/p1\n",
      "https://ehr.exam\u00adple/fhir/Patient/p1",
      "https://ehr\u3002example/fhir/Patient/p1",
      "https://user@ehr.example/fhir/Patient/p1",
      "https://ehr.example/fhir/Patient/p1?x",
      "https://ehr.example/fhir/Patient/p1#x",
    ]) {
      expect(foreignReason(condition({ reference }), base), JSON.stringify(reference)).toBe("absolute reference not on the FHIR server's base");
    }
  });

  it("a base with a query, a fragment or user info is no base: every absolute reference is dropped", () => {
    for (const fhirBaseUrl of ["https://ehr.example/fhir?x=1", "https://ehr.example/fhir#a", "https://u:p@ehr.example/fhir"]) {
      for (const reference of ["https://ehr.example/fhir/Patient/p1", `${fhirBaseUrl}/Patient/p1`]) {
        expect(foreignReason(condition({ reference }), { patientId: "p1", fhirBaseUrl }), `${fhirBaseUrl} ${reference}`).toBe("absolute reference not on the FHIR server's base");
      }
    }
  });

  it("drops what does not prove the patient, with the reason", () => {
    const cases: [unknown, string][] = [
      [{ identifier: { value: "MRN" } }, "patient reference has no reference string"],
      [{ reference: 5 }, "patient reference has no reference string"],
      ["Patient/p1", "patient reference is not a Reference"],
      [[{ reference: "Patient/p1" }], "patient reference is not a Reference"],
      [{ reference: "Patient/p2" }, "another patient"],
      [{ reference: "Patient/p1x" }, "another patient"],
      [{ reference: "Group/p1" }, "reference is not to a Patient"],
      [{ reference: "Patient?identifier=x|p1" }, "reference is not to a Patient"],
      [{ reference: "http://other.example/fhir/Patient/p1" }, "absolute reference not on the FHIR server's base"],
      [{ reference: "https://ehr.example/fhir/Patient/p1/extra" }, "reference is not to a Patient"],
      [{ reference: "urn:uuid:def" }, "urn:uuid not this patient's Bundle entry"],
    ];
    for (const [subject, reason] of cases) expect(foreignReason(condition(subject), context)).toBe(reason);
  });

  it("without a known base, any absolute reference is dropped", () => {
    expect(foreignReason(condition({ reference: "https://ehr.example/fhir/Patient/p1" }), { patientId: "p1" })).toBe(
      "absolute reference not on the FHIR server's base",
    );
  });

  it("every patient field present must name the patient", () => {
    const both = as({ resourceType: "MedicationDispense", subject: { reference: "Patient/p1" }, patient: { reference: "Patient/p2" } });
    expect(foreignReason(both, context)).toBe("another patient");
  });

  it("patient-scoped types need a patient reference; shared types do not; null is absent", () => {
    expect(foreignReason(as({ resourceType: "Observation" }), context)).toBe("no patient reference");
    expect(foreignReason(as({ resourceType: "Encounter", subject: null }), context)).toBe("no patient reference");
    expect(foreignReason(as({ resourceType: "Medication", id: "m" }), context)).toBeNull();
    expect(foreignReason(as({ resourceType: "Organization", id: "o" }), context)).toBeNull();
  });

  it("a Patient is kept only when it is the patient in context", () => {
    expect(foreignReason(as({ resourceType: "Patient", id: "p1" }), context)).toBeNull();
    expect(foreignReason(as({ resourceType: "Patient", id: "p2" }), context)).toBe("another Patient resource");
    expect(foreignReason(as({ resourceType: "Patient" }), context)).toBe("another Patient resource");
  });
});

describe("keepPatientResources", () => {
  it("keeps in order and counts the drops by reason", () => {
    const resources = [
      as({ resourceType: "Patient", id: "p1" }),
      condition({ reference: "Patient/p2" }),
      condition({ reference: "Patient/p1" }),
      condition({ reference: "Patient/p3" }),
      condition({ identifier: { value: "x" } }),
    ];
    const result = keepPatientResources(resources, context);
    expect(result.kept).toEqual([resources[0], resources[2]]);
    expect(result.dropped).toEqual({ "another patient": 2, "patient reference has no reference string": 1 });
    expect(result.droppedCount).toBe(3);
  });
});
