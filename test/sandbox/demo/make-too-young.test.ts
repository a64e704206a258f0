import type { Condition, Patient, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { makeTooYoung } from "../../../sandbox/demo/make-too-young.ts";

const patient: Patient = { resourceType: "Patient", id: "p", birthDate: "1950-05-05" };
const condition = (id: string, onset: string): Condition => ({
  resourceType: "Condition",
  id,
  subject: { reference: "Patient/p" },
  onsetDateTime: onset,
});

describe("makeTooYoung", () => {
  it("re-dates the birth and drops what happened before it", () => {
    const out = makeTooYoung([patient, condition("old", "2005-01-01"), condition("new", "2015-06-01T10:00:00Z")], "2026-11-27", 15);
    expect(out.map((r: Resource) => r.id)).toEqual(["p", "new"]);
    expect((out[0] as Patient).birthDate).toBe("2011-11-27");
  });

  it("keeps a valid birth date when the end date is 29 February", () => {
    const out = makeTooYoung([patient], "2028-02-29", 15);
    expect((out[0] as Patient).birthDate).toBe("2013-02-28");
  });
});
