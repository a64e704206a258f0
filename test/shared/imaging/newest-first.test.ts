import { describe, expect, it } from "vitest";
import { fhirInstantMs } from "../../../shared/imaging/newest-first.ts";

describe("fhirInstantMs", () => {
  it("reads every FHIR form as the UTC instant it names, a partial date as its first instant", () => {
    expect(fhirInstantMs("2024")).toBe(Date.UTC(2024, 0, 1));
    expect(fhirInstantMs("2024-03")).toBe(Date.UTC(2024, 2, 1));
    expect(fhirInstantMs("2024-03-05")).toBe(Date.UTC(2024, 2, 5));
    expect(fhirInstantMs("2024-03-05T10:00:00+05:00")).toBe(Date.UTC(2024, 2, 5, 5));
    expect(fhirInstantMs("2024-03-05T23:30:00-05:00")).toBe(Date.UTC(2024, 2, 6, 4, 30));
    // Minutes only, and a time without a zone (not valid FHIR, seen in exports) as UTC, as parseFhirDay reads it.
    expect(fhirInstantMs("2024-03-05T10:00Z")).toBe(Date.UTC(2024, 2, 5, 10));
    expect(fhirInstantMs("2024-03-05T10:00:00")).toBe(Date.UTC(2024, 2, 5, 10));
    // To the second: a fraction (beyond milliseconds too) is left out; a leap second (valid FHIR,
    // which Date.parse refuses) is the second before.
    expect(fhirInstantMs("2024-03-05T10:00:00.123456+05:00")).toBe(Date.UTC(2024, 2, 5, 5));
    expect(fhirInstantMs("2016-12-31T23:59:60Z")).toBe(Date.UTC(2016, 11, 31, 23, 59, 59));
  });

  it("gives no instant for what is no FHIR date", () => {
    for (const value of ["2025-02-30", "2024-03-05T10:00:00+15:00", "2024-03-05T25:00:00Z", "yesterday", "", 20240305, null]) {
      expect(fhirInstantMs(value)).toBeNull();
    }
  });
});
