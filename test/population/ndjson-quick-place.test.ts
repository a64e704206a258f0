import { describe, expect, it } from "vitest";
import type { Medication, Resource } from "fhir/r4";
import { quickPlacer } from "../../population/ndjson-quick-place.ts";
import { patientIdOf } from "../../shared/fhir-references.ts";

const strict = { skipBadLines: false, onSkip: () => undefined };

describe("quickPlacer", () => {
  const resources: object[] = [
    { resourceType: "Condition", id: "c", subject: { reference: "Patient/p1", display: "x" } },
    { resourceType: "Immunization", id: "i", patient: { reference: "urn:uuid:p-2" } },
    { resourceType: "Observation", id: "o", subject: { reference: "Group/g" } },
    { resourceType: "Encounter", id: "e", subject: { identifier: { value: "mrn" }, reference: "Patient/p3" } },
    { resourceType: "Observation", id: "o2", contained: [{ resourceType: "Patient", id: "x" }], subject: { reference: "Patient/p4" } },
    // A patient field inside a contained resource, or a second one, comes before the one that decides.
    {
      resourceType: "Observation",
      id: "o3",
      contained: [{ resourceType: "Observation", id: "c", subject: { reference: "Patient/other" } }],
      subject: { reference: "Patient/p6" },
    },
    { resourceType: "Observation", id: "o4", patient: { reference: "Patient/other" }, subject: { reference: "Patient/p7" } },
    { resourceType: "Patient", id: "p5" },
    { resourceType: "Organization", id: "org" },
  ];

  it("places every line where a full parse places it", () => {
    const place = quickPlacer(new Map(), strict);
    for (const resource of resources) {
      const expected = patientIdOf(resource as Resource);
      expect(place(Buffer.from(JSON.stringify(resource)), "f.ndjson", 1)?.patientId ?? null, JSON.stringify(resource)).toBe(expected);
    }
  });

  it("collects Medications into the lookup and names bad lines it must parse", () => {
    const medications = new Map<string, Medication>();
    const place = quickPlacer(medications, strict);
    expect(place(Buffer.from('{"resourceType":"Medication","id":"m1","code":{"text":"x"}}'), "Medication.ndjson", 3)).toMatchObject({
      type: "Medication",
      patientId: null,
      file: "Medication.ndjson",
      line: 3,
    });
    expect([...medications.keys()]).toEqual(["m1"]);
    expect(() => place(Buffer.from('{"resourceType":"Patient","id":'), "Patient.ndjson", 7)).toThrow(/^Patient\.ndjson:7: not valid JSON/);
    expect(place(Buffer.from("   "), "x.ndjson", 8)).toBeNull();
  });

  it("reports a line the reader found too long (null bytes) as a bad line at file:line, per the policy", () => {
    expect(() => quickPlacer(new Map(), strict)(null, "/data/Observation.ndjson", 12)).toThrow(
      /^Observation\.ndjson:12: line longer than 64 MiB; use --skip-bad-lines/,
    );
    const skipped: string[] = [];
    const place = quickPlacer(new Map(), { skipBadLines: true, onSkip: (reason, where) => skipped.push(`${where} ${reason}`) });
    expect(place(null, "/data/Observation.ndjson", 12)).toBeNull();
    expect(skipped).toEqual(["Observation.ndjson:12 line longer than 64 MiB"]);
  });
});
