import { describe, expect, it } from "vitest";
import { grants } from "../../../app/smart/granted-scopes.ts";
import { appContextIndexDate } from "../../../app/smart/session.ts";

describe("grants", () => {
  const granted = "launch patient/Condition.rs patient/Encounter.r patient/*.s user/Observation.read";

  it("reads each type's permission from the granted scopes", () => {
    expect(grants(granted, "Condition", "search")).toBe(true);
    expect(grants(granted, "Encounter", "read")).toBe(true);
    expect(grants(granted, "Observation", "search")).toBe(true);
  });

  it("a wildcard grants the letters it carries, no more", () => {
    expect(grants(granted, "ImagingStudy", "search")).toBe(true);
    expect(grants(granted, "ImagingStudy", "read")).toBe(false);
  });

  it("a type absent from the grant is not granted", () => {
    expect(grants("launch patient/Condition.rs", "MedicationRequest", "search")).toBe(false);
    expect(grants("", "Patient", "read")).toBe(false);
  });

  it("a backend service's system/ scope is no grant to a user's app", () => {
    expect(grants("system/Condition.rs system/*.read", "Condition", "read")).toBe(false);
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
