/** How an input folder's entries are named in what a run stores and reports (population/input-file-label.ts). */
import { describe, expect, it } from "vitest";
import { entryLabel, linePlace } from "../../population/input-file-label.ts";

describe("entryLabel", () => {
  it("shows Bulk Data names (a resource type, a short ordinal) and a few fixed names as they are, compressed or unfinished too", () => {
    for (const name of [
      "Condition.ndjson",
      "Patient.NDJSON",
      "observation.ndjson",
      "Patient.00001.ndjson",
      "1.Patient.ndjson",
      "Condition2.ndjson.gz",
      "Observation.NDJSON.ZIP",
      "Encounter.000.ndjson.partial",
      "Condition3.jsonl",
      "log.ndjson",
      ".DS_Store",
      "Thumbs.db",
    ]) {
      expect(entryLabel(name), name).toBe(name);
    }
  });

  it("names any other file by the start of its name's SHA-256, .ndjson.gz and .ndjson alike", () => {
    // `printf %s NAME | sha256sum | cut -c1-12` for each.
    expect(entryLabel("MRN-9876543.ndjson.gz")).toBe("file whose name's SHA-256 begins 7010adc7857a");
    expect(entryLabel("MRN-9876543.ndjson")).toBe("file whose name's SHA-256 begins 141c26f80795");
    expect(entryLabel("Doe^Jane.ndjson")).toBe("file whose name's SHA-256 begins 199c5bf0163c");
    // An ordinal as long as an MRN, an extension that is neither compressed nor .partial.
    expect(entryLabel("Patient.9876543.ndjson")).toBe("file whose name's SHA-256 begins 3e44bf6cd172");
    expect(entryLabel("Condition.ndjson.MRN123")).toBe("file whose name's SHA-256 begins c0d2a4e2ea62");
  });

  it("names a .json file as a Bundle file, whatever its name, and a folder as a folder", () => {
    expect(entryLabel("Patient.json")).toBe("Bundle file whose name's SHA-256 begins b89f72ee3ada");
    expect(entryLabel("Doe^Jane.ndjson", "folder")).toBe("folder whose name's SHA-256 begins 199c5bf0163c");
    expect(entryLabel("Encounter.ndjson", "folder")).toBe("Encounter.ndjson");
  });
});

describe("linePlace", () => {
  it("names a line by its file's label, never by the folder", () => {
    expect(linePlace("/data/export/Condition.ndjson", 3)).toBe("Condition.ndjson:3");
    expect(linePlace("/data/export/MRN-9876543.ndjson", 3)).toBe("file whose name's SHA-256 begins 141c26f80795:3");
  });
});
