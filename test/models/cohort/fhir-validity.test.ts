import type { Encounter } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { validateR4 } from "../../support/fhir-r4-validator.ts";
import { simulateCohort } from "../../../models/cohort/simulate.ts";

describe("simulated resources", () => {
  it("are valid FHIR R4 by the base structure definitions (Medplum's validator)", () => {
    const problems: string[] = [];
    let resources = 0;
    for (const { resources: record } of simulateCohort({ patients: 120, seed: 31 })) {
      for (const resource of record) {
        resources++;
        try {
          validateR4(resource);
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
    const { status: _required, ...withoutStatus } = encounter as Encounter;
    expect(() => validateR4(withoutStatus)).toThrow(/status/);
    expect(() => validateR4({ ...encounter, visitColour: "blue" })).toThrow(/visitColour/);
  });
});
