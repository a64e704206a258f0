import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scanNdjsonDirectory, sniffNdjsonFile } from "../../population/ndjson-directory.ts";
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
  it("lists the .json files of an NDJSON folder as not read, with why", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "Patient.ndjson"), '{"resourceType":"Patient","id":"p"}\n');
    writeFileSync(join(dir, "log.ndjson"), `${LOG_LINE}\n`);
    writeFileSync(join(dir, "a-bundle.json"), '{"resourceType":"Bundle","type":"collection","entry":[]}');
    writeFileSync(join(dir, "notes.txt"), "not listed: neither .ndjson nor .json");
    const scan = await scanNdjsonDirectory(dir);
    expect(scan.patientFiles).toEqual([join(dir, "Patient.ndjson")]);
    expect(scan.ignored).toEqual([
      { file: "log.ndjson", reason: "no FHIR resource in its first 10 lines" },
      // A Bundle file's name may hold a patient's name: `printf %s a-bundle.json | sha256sum`.
      { file: "Bundle file whose name's SHA-256 begins 32a6847320ed", reason: "the folder is read as NDJSON (it has .ndjson files)" },
    ]);
  });
});
