import { describe, expect, it } from "vitest";
import { scopeGrant } from "../../../app/smart/granted-scopes.ts";
import { appContextIndexDate } from "../../../app/smart/session.ts";

describe("scopeGrant", () => {
  const granted = "launch patient/Condition.rs patient/Encounter.r patient/*.s user/Observation.read";

  it("reads each type's permission from the granted scopes", () => {
    expect(scopeGrant(granted, "Condition", "search")).toBe("all");
    expect(scopeGrant(granted, "Encounter", "read")).toBe("all");
    expect(scopeGrant(granted, "Observation", "search")).toBe("all");
  });

  it("a wildcard grants the letters it carries, no more", () => {
    expect(scopeGrant(granted, "ImagingStudy", "search")).toBe("all");
    expect(scopeGrant(granted, "ImagingStudy", "read")).toBe("none");
  });

  it("a type absent from the grant is not granted", () => {
    expect(scopeGrant("launch patient/Condition.rs", "MedicationRequest", "search")).toBe("none");
    expect(scopeGrant("", "Patient", "read")).toBe("none");
  });

  it("a backend service's system/ scope is no grant to a user's app", () => {
    expect(scopeGrant("system/Condition.rs system/*.read", "Condition", "read")).toBe("none");
  });
});

describe("scopeGrant and granular SMART v2 scopes (a search-parameter suffix)", () => {
  const VITAL_SIGNS = "category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs";

  it("grants part of a type granted only with restrictions, each restriction as granted", () => {
    expect(scopeGrant(`launch patient/Observation.rs?${VITAL_SIGNS}`, "Observation", "search")).toEqual({ restrictions: [VITAL_SIGNS] });
    expect(scopeGrant(`patient/Observation.rs?${VITAL_SIGNS} patient/Observation.s?category=laboratory`, "Observation", "search")).toEqual({
      restrictions: [VITAL_SIGNS, "category=laboratory"],
    });
  });

  it("grants all of a type when an unrestricted scope grants it too", () => {
    expect(scopeGrant(`patient/Observation.rs?${VITAL_SIGNS} patient/*.rs`, "Observation", "search")).toBe("all");
  });

  it("grants nothing by a restricted scope without the letter, of another type, or with an empty suffix", () => {
    expect(scopeGrant(`patient/Observation.r?${VITAL_SIGNS}`, "Observation", "search")).toBe("none");
    expect(scopeGrant(`patient/Condition.rs?${VITAL_SIGNS}`, "Observation", "search")).toBe("none");
    expect(scopeGrant("patient/Observation.rs?", "Observation", "search")).toBe("none");
  });

  it("grants nothing by a restriction that is not a search (param=value&...): what it would let the app read is unknown", () => {
    expect(scopeGrant("patient/Observation.rs?category", "Observation", "search")).toBe("none");
    expect(scopeGrant("patient/Observation.rs?category=laboratory&", "Observation", "search")).toBe("none");
  });
});

describe("appContextIndexDate", () => {
  it("takes the card's index date from its appContext", () => {
    expect(appContextIndexDate('{"cardUuid":"x","indexDate":"2026-11-20"}')).toBe("2026-11-20");
  });

  it("ignores an absent, malformed or impossible date", () => {
    expect(appContextIndexDate(undefined)).toBeUndefined();
    expect(appContextIndexDate("not json")).toBeUndefined();
    expect(appContextIndexDate('{"indexDate":"2026-02-30"}')).toBeUndefined();
    expect(appContextIndexDate('{"indexDate":20261120}')).toBeUndefined();
  });
});
