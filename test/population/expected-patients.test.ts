import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SCAN_CHUNK_BYTES } from "../../population/bundle-file.ts";
import { expectedPatients } from "../../population/expected-patients.ts";
import { bundle, encounter, medication, observation, patient, tempDir, writeNdjson } from "./fixtures.ts";

function writeJson(dir: string, name: string, value: unknown): void {
  writeFileSync(join(dir, name), JSON.stringify(value));
}

describe("expectedPatients on Bundle files", () => {
  it("counts the files that hold a Patient, not the shared ones", async () => {
    const dir = tempDir();
    writeJson(dir, "p1.json", bundle([{ resource: patient("p1") }, { resource: encounter("e", "Patient/p1", "2015-01-01") }]));
    writeJson(dir, "p2.json", bundle([{ resource: encounter("e2", "Patient/p2", "2015-01-01") }, { resource: patient("p2") }]));
    writeJson(dir, "single-patient.json", patient("p3"));
    writeJson(dir, "hospitalInformation1.json", bundle([{ resource: { resourceType: "Organization", id: "o" } as never }]));
    writeJson(dir, "practitionerInformation1.json", bundle([{ resource: { resourceType: "Practitioner", id: "dr" } as never }]));
    writeJson(dir, "medications.json", bundle([{ resource: medication("m", "197604") }]));
    expect(await expectedPatients(dir)).toBe(3);
  });

  it("finds a Patient whose resourceType the read's chunk boundary splits, and none in a large file without one", async () => {
    const dir = tempDir();
    // The Patient's `"resourceType":"Patient"` (24 characters) straddles the first chunk boundary
    // at every split point: the Organization's name pads the text before it.
    const key = '"resourceType":"Patient"';
    const before = (padding: string) => JSON.stringify(bundle([{ resource: { resourceType: "Organization", id: "o", name: padding } as never }, { resource: patient("p") }]));
    const offsetOfKey = (padding: string) => before(padding).indexOf(key);
    const base = offsetOfKey("");
    for (let split = 1; split < key.length; split++) {
      const padding = "x".repeat(SCAN_CHUNK_BYTES - split - base);
      expect(offsetOfKey(padding)).toBe(SCAN_CHUNK_BYTES - split);
      writeFileSync(join(dir, `p${split}.json`), before(padding));
    }
    writeJson(dir, "big-shared.json", bundle([{ resource: { resourceType: "Organization", id: "o", name: "y".repeat(3 * SCAN_CHUNK_BYTES) } as never }]));
    expect(await expectedPatients(dir)).toBe(key.length - 1);
  });

  it("is 0 for Bundle files without a Patient and null for an empty directory", async () => {
    const shared = tempDir();
    writeJson(shared, "hospitalInformation1.json", bundle([{ resource: { resourceType: "Organization", id: "o" } as never }]));
    expect(await expectedPatients(shared)).toBe(0);
    expect(await expectedPatients(tempDir())).toBeNull();
  });
});

describe("expectedPatients on NDJSON files", () => {
  it("counts the Patients of the Patient files, not the other resources a Patient file holds", async () => {
    const dir = tempDir();
    // A Patient file may hold other types (the export is then unordered and read through the
    // spill): 2 Patients among 3 Observations, and an Observation file besides.
    writeNdjson(dir, "Patient.ndjson", [
      patient("p1"),
      observation("o1", "Patient/p1", "8867-4", "2024-01-01"),
      observation("o2", "Patient/p1", "8867-4", "2024-01-02"),
      patient("p2"),
      observation("o3", "Patient/p2", "8867-4", "2024-01-03"),
    ]);
    writeNdjson(dir, "Observation.ndjson", [observation("o4", "Patient/p2", "8867-4", "2024-01-04")]);
    expect(await expectedPatients(dir)).toBe(2);
  });
});
