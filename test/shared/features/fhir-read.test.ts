import { describe, expect, it } from "vitest";
import { cleanConcept } from "../../../shared/features/fhir-read.ts";

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
