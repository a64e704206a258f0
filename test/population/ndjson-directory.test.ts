import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { listNdjsonFiles, ndjsonNames, scanNdjsonDirectory, sniffNdjsonFile } from "../../population/ndjson-directory.ts";
import { tempDir } from "./fixtures.ts";

const openFileCount = (): number => readdirSync("/proc/self/fd").length;

/** Waits until the open file count drops to `target` (closing a stream is asynchronous), or 2 s. */
async function settledFileCount(target: number): Promise<number> {
  for (let i = 0; i < 100 && openFileCount() > target; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return openFileCount();
}

/** Sniffs a file written with these lines. */
async function sniff(lines: string[]) {
  const file = join(tempDir(), "x.ndjson");
  writeFileSync(file, lines.join("\n"));
  return sniffNdjsonFile(file);
}

const LOG_LINE = JSON.stringify({ transactionTime: "2024-01-01T00:00:00Z", eventId: "kickoff" });
const NOT_A_RESOURCE = '{"resourceType":null}';

describe("sniffNdjsonFile", () => {
  it("closes each file it stops reading early, so a directory of many files cannot run out of descriptors", async () => {
    const dir = tempDir();
    // Larger than one read chunk, so the file is still open when the first line is found.
    const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ resourceType: "Observation", id: `o${i}` }));
    const files = Array.from({ length: 20 }, (_, i) => join(dir, `Observation.${i}.ndjson`));
    for (const file of files) writeFileSync(file, lines.join("\n"));
    const before = openFileCount();
    for (const file of files) expect(await sniffNdjsonFile(file)).toEqual({ kind: "resource", resourceType: "Observation" });
    expect(await settledFileCount(before)).toBeLessThanOrEqual(before);
  });

  it("takes the type of the first resource among the first ten non-blank lines, past bad lines", async () => {
    expect(await sniff([NOT_A_RESOURCE, '{"resourceType":"Condition","id":"c"}'])).toEqual({ kind: "resource", resourceType: "Condition" });
    expect(await sniff(["not json", "", '{"resourceType":"Patient","id":"p"}', '{"resourceType":"Condition"}'])).toEqual({
      kind: "resource",
      resourceType: "Patient",
    });
    // Blank lines do not count: the resource is the tenth non-blank line.
    expect(await sniff([...Array<string>(9).fill(LOG_LINE), "", "  ", '{"resourceType":"Medication"}'])).toEqual({
      kind: "resource",
      resourceType: "Medication",
    });
  });

  it("calls a file not FHIR only when its first ten non-blank lines hold no resource and some JSON object", async () => {
    expect(await sniff([LOG_LINE, LOG_LINE])).toEqual({ kind: "not-fhir" });
    expect(await sniff([...Array<string>(10).fill(NOT_A_RESOURCE), '{"resourceType":"Condition"}'])).toEqual({ kind: "not-fhir" });
    expect(await sniff(["not json", "[1]", "3", "null"])).toEqual({ kind: "not-json" });
    expect(await sniff(["", "  "])).toEqual({ kind: "empty" });
  });

  it("reads past a byte-order mark at the start of the file", async () => {
    expect(await sniff(['\uFEFF{"resourceType":"Patient","id":"p"}'])).toEqual({ kind: "resource", resourceType: "Patient" });
    expect(await sniff(["\uFEFF"])).toEqual({ kind: "empty" });
  });
});

describe("scanNdjsonDirectory", () => {
  const PATIENT_LINE = '{"resourceType":"Patient","id":"p"}\n';
  const CONDITION_LINE = '{"resourceType":"Condition","id":"c","subject":{"reference":"Patient/p"}}\n';
  const FOLDER = "a folder: not read (files in subfolders are not read)";

  it("reads .ndjson files whatever the case of their extension, as Windows tools write them", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "Patient.NDJSON"), PATIENT_LINE);
    writeFileSync(join(dir, "Condition.Ndjson"), CONDITION_LINE);
    writeFileSync(join(dir, "Medication.ndjson"), '{"resourceType":"Medication","id":"m"}\n');
    writeFileSync(join(dir, "log.NDJSON"), `${LOG_LINE}\n`);
    const scan = await scanNdjsonDirectory(dir);
    expect(scan.patientFiles).toEqual([join(dir, "Patient.NDJSON")]);
    expect(scan.otherFiles).toEqual([join(dir, "Condition.Ndjson"), join(dir, "Medication.ndjson")]);
    expect(scan.medicationFiles).toEqual([join(dir, "Medication.ndjson")]);
    expect(scan.ignored).toEqual([{ file: "log.NDJSON", reason: "no FHIR resource in its first 10 lines" }]);
    // The listing that decides whether a folder is read as NDJSON, and the job's input check.
    expect(await listNdjsonFiles(dir)).toEqual(["Condition.Ndjson", "Medication.ndjson", "Patient.NDJSON", "log.NDJSON"]);
    expect(ndjsonNames(["truth.ndjson", "b.NDJSON", "a.ndjson", "c.ndjson.gz", "d.jsonl", "e.json", "f.ndjson.partial"])).toEqual(["a.ndjson", "b.NDJSON"]);
  });

  it("lists every other entry of an NDJSON folder as not read, with why, and reads none of them", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "Patient.ndjson"), PATIENT_LINE);
    writeFileSync(join(dir, "log.ndjson"), `${LOG_LINE}\n`);
    writeFileSync(join(dir, "Condition2.ndjson.gz"), gzipSync(CONDITION_LINE));
    writeFileSync(join(dir, "Observation.NDJSON.ZIP"), "PK");
    writeFileSync(join(dir, "Condition3.jsonl"), CONDITION_LINE);
    writeFileSync(join(dir, "Encounter.000.ndjson.partial"), '{"resourceType":"Encounter"');
    writeFileSync(join(dir, "a-bundle.json"), '{"resourceType":"Bundle","type":"collection","entry":[]}');
    writeFileSync(join(dir, "b.JSON"), '{"resourceType":"Bundle","type":"collection","entry":[]}');
    writeFileSync(join(dir, "notes.txt"), "not FHIR");
    writeFileSync(join(dir, ".DS_Store"), "\x00\x00\x00\x01Bud1");
    // The simulator's ground truth has its own reader (truth-store.ts): not listed.
    writeFileSync(join(dir, "truth.ndjson"), '{"patientId":"p"}\n');
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "Condition.ndjson"), CONDITION_LINE);
    mkdirSync(join(dir, "more.ndjson"));
    const scan = await scanNdjsonDirectory(dir);
    expect(scan.patientFiles).toEqual([join(dir, "Patient.ndjson")]);
    expect(scan.otherFiles).toEqual([]);
    expect(scan.ignored).toEqual([
      { file: "log.ndjson", reason: "no FHIR resource in its first 10 lines" },
      // The others in name order. A fixed name that cannot be a patient's is shown as it is (as
      // the Bulk Data client's log.ndjson above).
      { file: ".DS_Store", reason: "not an .ndjson file" },
      // Bulk Data names (a resource type, an ordinal) are shown, compressed or unfinished too, as
      // the .ndjson files' own are.
      { file: "Condition2.ndjson.gz", reason: "compressed (.gz): not read; decompress it first" },
      { file: "Condition3.jsonl", reason: "not an .ndjson file (.jsonl): rename it .ndjson to read it" },
      { file: "Encounter.000.ndjson.partial", reason: "an unfinished download (.partial): not read" },
      { file: "Observation.NDJSON.ZIP", reason: "compressed (.zip): not read; decompress it first" },
      // A Bundle file's name may hold a patient's name: `printf %s a-bundle.json | sha256sum`.
      { file: "Bundle file whose name's SHA-256 begins 32a6847320ed", reason: "the folder is read as NDJSON (it has .ndjson files)" },
      { file: "Bundle file whose name's SHA-256 begins d9229dc86f30", reason: "the folder is read as NDJSON (it has .ndjson files)" },
      // Any other name may be a patient's too (Synthea's text and C-CDA exports), .ndjson or not:
      // `printf %s more.ndjson | sha256sum`, `printf %s notes.txt | sha256sum`.
      { file: "folder whose name's SHA-256 begins 245b8218943a", reason: FOLDER },
      { file: "file whose name's SHA-256 begins e39538e7f27a", reason: "not an .ndjson file" },
      { file: "folder whose name's SHA-256 begins ddc6e2b224d0", reason: FOLDER },
    ]);
  });

  it("reads an .ndjson link to a file, lists one to a folder as a folder and one to nothing as not read", async () => {
    const dir = tempDir();
    const elsewhere = tempDir();
    writeFileSync(join(dir, "Patient.ndjson"), PATIENT_LINE);
    writeFileSync(join(elsewhere, "conditions"), CONDITION_LINE);
    symlinkSync(join(elsewhere, "conditions"), join(dir, "Condition.ndjson"));
    symlinkSync(elsewhere, join(dir, "Encounter.ndjson"));
    symlinkSync(join(elsewhere, "gone"), join(dir, "Observation.ndjson"));
    const scan = await scanNdjsonDirectory(dir);
    expect(scan.patientFiles).toEqual([join(dir, "Patient.ndjson")]);
    expect(scan.otherFiles).toEqual([join(dir, "Condition.ndjson")]);
    expect(scan.ignored).toEqual([
      { file: "Encounter.ndjson", reason: FOLDER },
      { file: "Observation.ndjson", reason: "neither a file nor a folder (a broken link?): not read" },
    ]);
  });
});
