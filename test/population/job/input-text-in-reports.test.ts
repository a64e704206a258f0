/**
 * Text from the input that may hold a patient identifier never reaches what a run writes without
 * --include-names (summary.html, job-state.sqlite) nor its stderr: a made-up `resourceType`
 * (population/reported-type.ts), a coding's system or code not of a code's form
 * (population/job/shown-code.ts), a file name that is not a Bulk Data name
 * (population/input-file-label.ts), a Medication's id. What they stand for is still counted.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { Checkpoint } from "../../../population/job/checkpoint.ts";
import { encounter, medication, medicationRequest, patient, tempDir, writeNdjson } from "../fixtures.ts";
import { INDEX_DATE, populationCli, read } from "./job-fixtures.ts";

/** What the input below hides in its types, codes and file names. */
const PLANTED = ["MRN-9876543", "9876543", "Doe^Jane", "Jane", "Doe"];

const LOCAL = "http://example.org/local";

function coded(id: string, system: string, code: string): Resource {
  return { resourceType: "Condition", id, subject: { reference: "Patient/p1" }, code: { coding: [{ system, code }] }, onsetDateTime: "2024-01-10" } as Resource;
}

/**
 * p1 and p2, with a visit each. p1's four Conditions have codes the model does not map: one of a
 * code's form (kept), and three not (a code with `^`, a system that is no URI, a code of 65
 * characters). Four resources of made-up types: one of p2's, one of no patient (shared), one of
 * p2's without an id (read with a caveat), and one of p1's in MRN-9876543.ndjson, after p2's
 * Encounter there: that file is out of order, so the run regroups, and its line 2 is not JSON.
 * Two compressed files, not read: Condition.ndjson.gz, and one whose name holds the identifiers.
 */
function inputFolder(): string {
  const dir = tempDir();
  writeNdjson(dir, "Patient.ndjson", [patient("p1"), patient("p2")]);
  writeNdjson(dir, "Encounter.ndjson", [encounter("e1", "Patient/p1", "2024-01-10"), encounter("e2", "Patient/p2", "2024-01-10")]);
  writeNdjson(dir, "Condition.ndjson", [
    coded("c1", LOCAL, "Doe^Jane"),
    coded("c2", "MRN-9876543", "X1"),
    coded("c3", LOCAL, "LOCAL-7"),
    coded("c4", "urn:oid:1.2.3", "A".repeat(65)),
    { resourceType: "Doe^Jane", id: "u2" },
    { resourceType: "MRN-9876543 Jane Doe", id: "u1", subject: { reference: "Patient/p2" } },
    { resourceType: "MRN-9876543", subject: { reference: "Patient/p2" } },
  ]);
  writeNdjson(dir, "MRN-9876543.ndjson", [encounter("e3", "Patient/p2", "2024-02-01")], ["{not json", JSON.stringify({ resourceType: "Doe^Jane", id: "u3", subject: { reference: "Patient/p1" } })]);
  writeFileSync(join(dir, "Condition.ndjson.gz"), gzipSync("{}\n"));
  writeFileSync(join(dir, "Doe^Jane MRN-9876543.ndjson.gz"), gzipSync("{}\n"));
  return dir;
}

/** `printf %s 'MRN-9876543.ndjson' | sha256sum | cut -c1-12` */
const MRN_FILE = "file whose name's SHA-256 begins 141c26f80795";
/** `printf %s 'Doe^Jane MRN-9876543.ndjson.gz' | sha256sum | cut -c1-12` */
const NAMED_GZ = "file whose name's SHA-256 begins a3ab4d9e901c";
const UNRECOGNISED = "unrecognised resourceType";
const WITHOUT_ID = `${UNRECOGNISED} without an id: read all the same (placed by its patient reference)`;
const escaped = (text: string) => text.replace(/'/g, "&#39;");

describe("a run on input whose types, codes and file names hold identifiers", () => {
  it("writes none of them to summary.html, job-state.sqlite, stderr or stdout, and counts what they stand for", async () => {
    const out = tempDir("patella-job-planted-");
    const run = await populationCli(["--input", inputFolder(), "--out", out, "--index-date", INDEX_DATE, "--workers", "1"]).done;
    expect(run.code).toBe(0);
    const summary = read(out, "summary.html");
    // Every byte of the state: the database and any WAL or shared-memory file beside it.
    const state = readdirSync(out)
      .filter((file) => file.startsWith("job-state.sqlite"))
      .map((file) => readFileSync(join(out, file)).toString("latin1"))
      .join("");
    for (const text of PLANTED) {
      expect(summary, text).not.toContain(text);
      expect(state, text).not.toContain(text);
      expect(run.stderr, text).not.toContain(text);
      expect(run.stdout, text).not.toContain(text);
    }

    // (a) The four made-up types, counted under one name.
    expect(summary).toContain(`<tr><td>${UNRECOGNISED}</td><td class="n">4</td></tr>`);
    expect(summary).toContain(`<tr><td>read with a caveat: ${WITHOUT_ID}</td><td class="n">1</td></tr>`);
    // (c) The bad line by its file's label; the compressed files, the Bulk Data name as it is.
    expect(summary).toContain(`<tr><td>skipped by the reader: line is not valid JSON</td><td class="n">1</td></tr>`);
    expect(summary).toContain(`<tr><td>${escaped(MRN_FILE)}:2</td><td>line is not valid JSON</td><td>skipped</td></tr>`);
    const compressed = "compressed (.gz): not read; decompress it first";
    expect(summary).toContain(`<tr><td>Condition.ndjson.gz</td><td>${compressed}</td></tr><tr><td>${escaped(NAMED_GZ)}</td><td>${compressed}</td></tr>`);
    // (b) The one code of a code's form listed, the three others counted.
    expect(summary).toContain(`<tr><td>${LOCAL}|LOCAL-7</td><td class="n">1</td><td class="n">1</td></tr>`);
    expect(summary).toContain("<p>Not shown: 3 occurrences of codes");

    const checkpoint = Checkpoint.openFinished(out);
    try {
      const input = checkpoint.inputReport()!;
      expect(input.resourcesByType).toEqual({ Condition: 4, Encounter: 3, Patient: 2, [UNRECOGNISED]: 4 });
      expect(input.shared).toEqual({ [UNRECOGNISED]: 1 });
      expect(input.flagged).toEqual({ [WITHOUT_ID]: 1 });
      expect(input.ignoredFiles.map((f) => f.file)).toEqual(["Condition.ndjson.gz", NAMED_GZ]);
      const codes = checkpoint.builderQuality();
      expect({ distinct: codes.distinctCodes, notShown: codes.codesNotShownOccurrences }).toEqual({ distinct: 1, notShown: 3 });
    } finally {
      checkpoint.close();
    }

    // stderr: the regrouping names the file out of order and its line's type as reports do.
    const events = run.stderr
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.filter((e) => e.event === "regrouping").map((e) => e.reason)).toEqual([
      `NDJSON files are not ordered by patient: ${MRN_FILE} has a line (${UNRECOGNISED}) of a patient out of order`,
    ]);
    expect(events.filter((e) => e.event === "bad line skipped").map((e) => e.where)).toEqual([`${MRN_FILE}:2`]);
  }, 120_000);
});

describe("a run whose Medication, with an identifier for its id, comes after the patients", () => {
  it("regroups saying which file held it, not its id", async () => {
    // The Medication is in MedicationRequest.ndjson, after the request naming it: the join reads
    // Medication files before the patients, so it regroups (read-population.ts).
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("p1")]);
    writeNdjson(dir, "Encounter.ndjson", [encounter("e1", "Patient/p1", "2024-01-10")]);
    writeNdjson(dir, "MedicationRequest.ndjson", [medicationRequest("m1", "Patient/p1", "Medication/MRN-9876543", "2024-01-10"), medication("MRN-9876543", "1049221")]);
    const out = tempDir("patella-job-late-medication-");
    const run = await populationCli(["--input", dir, "--out", out, "--index-date", INDEX_DATE, "--workers", "1"]).done;
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain("9876543");
    expect(read(out, "summary.html")).not.toContain("9876543");
    const regrouping = run.stderr
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((e) => e.event === "regrouping");
    expect(regrouping.map((e) => e.reason)).toEqual([
      "NDJSON files are not ordered by patient: a Medication in MedicationRequest.ndjson that the Medication files read before the patients do not hold as it is",
    ]);
  }, 120_000);
});
