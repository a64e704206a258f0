import { describe, expect, it } from "vitest";
import { conceptName } from "../../shared/concept-name.ts";

const RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

describe("conceptName", () => {
  it("is the concept's text when it has one, even when the matched coding has no display", () => {
    expect(conceptName({ text: "ibuprofen 600 MG Oral Tablet", coding: [{ system: RXNORM, code: "5640" }] })).toBe("ibuprofen 600 MG Oral Tablet");
  });

  it("else the display of any coding, not only the first", () => {
    const coding = [
      { system: RXNORM, code: "5640" },
      { system: RXNORM, code: "310965", display: "ibuprofen 200 MG Oral Tablet" },
    ];
    expect(conceptName({ coding })).toBe("ibuprofen 200 MG Oral Tablet");
    // Blank words are no words.
    expect(conceptName({ text: "  ", coding })).toBe("ibuprofen 200 MG Oral Tablet");
  });

  it("else the code with its system's short name, under any spelling of the system", () => {
    expect(conceptName({ coding: [{ system: RXNORM, code: "5640" }] })).toBe("RxNorm 5640");
    expect(conceptName({ coding: [{ system: "urn:oid:2.16.840.1.113883.6.88", code: "5640" }] })).toBe("RxNorm 5640");
    expect(conceptName({ coding: [{ system: "http://snomed.info/sct", code: "44054006" }] })).toBe("SNOMED CT 44054006");
    expect(conceptName({ coding: [{ system: "http://hl7.org/fhir/sid/icd-10-cm", code: "M17.11" }] })).toBe("ICD-10-CM M17.11");
    expect(conceptName({ coding: [{ system: "http://loinc.org", code: "39156-5" }] })).toBe("LOINC 39156-5");
  });

  it("shows a system it does not know as sent, and a code without a system alone", () => {
    expect(conceptName({ coding: [{ system: "http://example.org/local", code: "P1234" }] })).toBe("http://example.org/local P1234");
    expect(conceptName({ coding: [{ code: "P1234" }] })).toBe("P1234");
  });

  it("is undefined for a concept with neither words nor a code", () => {
    expect(conceptName({})).toBeUndefined();
    expect(conceptName({ coding: [{ system: RXNORM }] })).toBeUndefined();
  });
});
