/**
 * The one reader of a SMART scope's text: v1 and v2 permissions, and v2's granular scopes
 * (SMART App Launch 2.x, "Finer-grained resource constraints using search parameters"), whose
 * `?param=value&...` restriction it returns beside the type. parseSmartScope, the population
 * job's reader, keeps answering only for whole-type scopes.
 */
import { describe, expect, it } from "vitest";
import { parseSmartScope, parseSmartScopeWithRestriction } from "../../shared/smart-scope.ts";

const VITAL_SIGNS = "category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs";

describe("parseSmartScopeWithRestriction", () => {
  it("reads a granular v2 scope whole: context, type, letters, and its restriction as written", () => {
    expect(parseSmartScopeWithRestriction(`patient/Observation.rs?${VITAL_SIGNS}`)).toEqual({
      context: "patient",
      type: "Observation",
      permissions: "rs",
      version: 2,
      restriction: VITAL_SIGNS,
    });
    expect(parseSmartScopeWithRestriction(`user/Observation.s?${VITAL_SIGNS}&_security=N`)?.restriction).toBe(`${VITAL_SIGNS}&_security=N`);
  });

  it("reads a whole-type scope with no restriction, v1's words as the letters they mean", () => {
    expect(parseSmartScopeWithRestriction("patient/*.rs")).toEqual({ context: "patient", type: "*", permissions: "rs", version: 2, restriction: null });
    expect(parseSmartScopeWithRestriction("system/Condition.read")).toEqual({ context: "system", type: "Condition", permissions: "rs", version: 1, restriction: null });
    expect(parseSmartScopeWithRestriction("user/Patient.write")).toMatchObject({ permissions: "cud", version: 1 });
  });

  it.each([
    ["an empty restriction", "patient/Observation.rs?"],
    ["a parameter without a value", "patient/Observation.rs?category"],
    ["a parameter without a name", "patient/Observation.rs?=laboratory"],
    ["a trailing &", "patient/Observation.rs?category=laboratory&"],
    ["no permission letters", "patient/Observation."],
    ["no permission letters before a restriction", "patient/Observation.?category=laboratory"],
    ["launch", "launch"],
    ["openid", "openid"],
  ])("reads %s as no resource scope", (_what, text) => {
    expect(parseSmartScopeWithRestriction(text)).toBeNull();
  });
});

describe("parseSmartScope (whole-type scopes only)", () => {
  it("reads a whole-type scope as the full reader does", () => {
    expect(parseSmartScope("system/Group.cu")).toEqual(parseSmartScopeWithRestriction("system/Group.cu"));
    expect(parseSmartScope("system/*.read")).toMatchObject({ context: "system", type: "*", permissions: "rs" });
  });

  it("answers null for a granular scope: it grants part of a type, never the whole", () => {
    expect(parseSmartScope(`system/Observation.rs?${VITAL_SIGNS}`)).toBeNull();
  });
});
