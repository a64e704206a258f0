/** Which unmapped codes a run lists as they are (population/job/shown-code.ts). */
import { describe, expect, it } from "vitest";
import { isShownCode } from "../../../population/job/shown-code.ts";

describe("isShownCode", () => {
  it("keeps a code of a code's form under a URI system: what a site maps", () => {
    for (const key of [
      "http://snomed.info/sct|239873007",
      "http://hl7.org/fhir/sid/icd-10-cm|M17.11",
      "urn:oid:2.16.840.1.113883.6.90|M17.11",
      "https://example.org/local-codes|KNEE_PAIN-2:a",
      `http://example.org/${"s".repeat(181)}|${"C".repeat(64)}`,
    ]) {
      expect(isShownCode(key), key).toBe(true);
    }
  });

  it("keeps no code whose system is not a URI or whose code is not plain, nor one too long", () => {
    for (const key of [
      "MRN-9876543|X1",
      "|12345",
      "http://example.org/local|Doe^Jane",
      "http://example.org/local|MRN 9876543",
      "http://example.org/mrn 9876543|X1",
      "http://example.org/a|b|c",
      `http://example.org/local|${"C".repeat(65)}`,
      `http://example.org/${"s".repeat(182)}|X1`,
      "no bar at all",
    ]) {
      expect(isShownCode(key), key).toBe(false);
    }
  });
});
