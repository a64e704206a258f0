import { describe, expect, it } from "vitest";
import { cleanConcept, referenceTarget } from "../../../shared/features/fhir-read.ts";

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

describe("cleanConcept", () => {
  it("returns a well-formed concept as it is and drops malformed codings from others", () => {
    const good = { coding: [{ system: "http://snomed.info/sct", code: "44054006" }], text: "diabetes" };
    expect(cleanConcept(good)).toBe(good);
    expect(cleanConcept({ coding: [null, { code: "x" }, { system: "s", code: "" }, { system: "s", code: "c" }] })).toEqual({
      coding: [{ system: "s", code: "c" }],
    });
    expect(cleanConcept({ text: "only text" })).toBeUndefined();
    expect(cleanConcept({ coding: { system: "s", code: "c" } })).toBeUndefined();
  });
});
