/**
 * Bytes that are not UTF-8 (NDJSON and JSON files must be UTF-8: docs/standards.md). Decoded
 * anyway they become U+FFFD and the resource is read as if nothing had happened; each reader
 * path must treat them as a bad line or a bad file instead: an error naming it, or with
 * skipBadLines counted and listed.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Condition } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { TruthStore } from "../../population/truth-store.ts";
import { bundle, condition, encounter, medication, medicationRequest, observation, patient, readAll, summarise, tempDir, writeNdjson } from "./fixtures.ts";

/** A lone continuation byte: never valid UTF-8. */
const BAD_BYTE = Buffer.from([0x80]);

/** The JSON line of `resource` with BAD_BYTE where its text holds "@@". */
function lineWithBadByte(resource: unknown): Buffer {
  const [before, after] = JSON.stringify(resource).split("@@") as [string, string];
  return Buffer.concat([Buffer.from(before), BAD_BYTE, Buffer.from(after)]);
}

/** An NDJSON file of `lines` (Buffers as they are, resources as JSON). */
function writeLines(dir: string, name: string, lines: (Buffer | object)[]): void {
  const bytes = lines.map((line) => (Buffer.isBuffer(line) ? line : Buffer.from(JSON.stringify(line))));
  writeFileSync(join(dir, name), Buffer.concat(bytes.flatMap((line) => [line, Buffer.from("\n")])));
}

/** p1's knee OA diagnosis, its display holding the bad byte. */
const KNEE_OA_WITH_BAD_BYTE = { ...condition("c1", "Patient/p1", "239873007", "2018-01-01"), code: { coding: [{ system: "http://snomed.info/sct", code: "239873007", display: "Gonarthrose @@" }] } };

/** Two patients in Patient-file order, p1's first Condition line holding the bad byte. */
function writePopulation(dir: string): void {
  writeNdjson(dir, "Patient.ndjson", [patient("p1"), patient("p2")]);
  writeLines(dir, "Condition.ndjson", [lineWithBadByte(KNEE_OA_WITH_BAD_BYTE), condition("c2", "Patient/p1", "44054006", "2016-03-01"), condition("c3", "Patient/p2", "44054006", "2017-03-01")]);
  writeNdjson(dir, "Encounter.ndjson", [encounter("e1", "Patient/p1", "2017-01-01"), encounter("e2", "Patient/p2", "2017-02-01")]);
}

const EXPECTED_WITHOUT_C1 = { p1: ["Patient/p1", "Condition/c2", "Encounter/e1"], p2: ["Patient/p2", "Condition/c3", "Encounter/e2"] };

describe("bytes that are not UTF-8", () => {
  it("a patient's line read by merge join: an error naming file:line, or counted and listed with skipBadLines", async () => {
    const dir = tempDir();
    writePopulation(dir);
    await expect(readAll(dir)).rejects.toThrow(/^Condition\.ndjson:1: line is not valid UTF-8; use --skip-bad-lines/);
    const { records, stats } = await readAll(dir, { skipBadLines: true });
    expect(stats.grouping).toBe("merge-join");
    expect(summarise(records)).toEqual(EXPECTED_WITHOUT_C1);
    expect(stats.skipped).toEqual({ "line is not valid UTF-8": 1 });
    expect(stats.skippedLines).toEqual([{ where: "Condition.ndjson:1", reason: "line is not valid UTF-8" }]);
  });

  it("the same line read through the spill", async () => {
    const dir = tempDir();
    writePopulation(dir);
    // A resource of a patient missing from the Patient file sends the read through the spill.
    writeNdjson(dir, "Observation.ndjson", [observation("w9", "Patient/p9", "29463-7", "2017-01-01")]);
    await expect(readAll(dir)).rejects.toThrow(/^Condition\.ndjson:1: line is not valid UTF-8/);
    const { records, stats } = await readAll(dir, { skipBadLines: true });
    expect(stats.grouping).toBe("sqlite-spill");
    expect(summarise(records)).toEqual({ ...EXPECTED_WITHOUT_C1, p9: ["Observation/w9"] });
    expect(stats.skipped).toEqual({ "line is not valid UTF-8": 1 });
    expect(stats.skippedLines).toEqual([{ where: "Condition.ndjson:1", reason: "line is not valid UTF-8" }]);
  });

  it("a shared Medication's line (parsed as it is read, not placed by its reference)", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("p1")]);
    writeNdjson(dir, "MedicationRequest.ndjson", [medicationRequest("m1", "Patient/p1", "Medication/med1", "2016-05-01")]);
    writeLines(dir, "Medication.ndjson", [medication("med2", "313782"), lineWithBadByte({ ...medication("med1", "849574"), code: { text: "@@", coding: [{ system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "849574" }] } })]);
    await expect(readAll(dir)).rejects.toThrow(/^Medication\.ndjson:2: line is not valid UTF-8/);
    const { records, stats } = await readAll(dir, { skipBadLines: true });
    expect(summarise(records)).toEqual({ p1: ["Patient/p1", "MedicationRequest/m1"] });
    expect(stats.skippedLines).toEqual([{ where: "Medication.ndjson:2", reason: "line is not valid UTF-8" }]);
  });

  it("reads UTF-8 as UTF-8: accents, other scripts and characters beyond the 16-bit range", async () => {
    const dir = tempDir();
    const text = "Gonarthrose primaire, genou: 膝关节骨关节炎 🦵";
    writeNdjson(dir, "Patient.ndjson", [patient("p1")]);
    writeNdjson(dir, "Condition.ndjson", [{ ...condition("c1", "Patient/p1", "239873007", "2018-01-01"), code: { text } }]);
    const { records, stats } = await readAll(dir);
    expect(stats.skipped).toEqual({});
    expect((records[0]!.resources[1] as Condition).code?.text).toBe(text);
  });

  it("a Bundle file: an error naming it, or counted and listed by its label with skipBadLines", async () => {
    const dir = tempDir();
    const good = bundle([{ resource: patient("p2") }, { resource: encounter("e2", "Patient/p2", "2017-02-01") }]);
    writeFileSync(join(dir, "Jane_Doe.json"), lineWithBadByte(bundle([{ resource: patient("p1") }, { resource: KNEE_OA_WITH_BAD_BYTE }])));
    writeFileSync(join(dir, "other.json"), JSON.stringify(good));
    await expect(readAll(dir)).rejects.toThrow(/^Jane_Doe\.json: not valid UTF-8; use --skip-bad-lines/);
    const { records, stats } = await readAll(dir, { skipBadLines: true });
    expect(summarise(records)).toEqual({ p2: ["Patient/p2", "Encounter/e2"] });
    expect(stats.skipped).toEqual({ "Bundle file not read: not valid UTF-8": 1 });
    expect(stats.ignoredFiles).toEqual([{ file: expect.stringMatching(/^Bundle file whose name's SHA-256 begins [0-9a-f]{12}$/), reason: "not valid UTF-8" }]);
    expect(JSON.stringify(stats)).not.toContain("Jane");
  });

  it("the simulator's truth file: an error naming truth.ndjson and the line", async () => {
    const dir = tempDir();
    writeLines(dir, "truth.ndjson", [{ patientId: "p1", indexDates: [] }, lineWithBadByte({ patientId: "p@@", indexDates: [] })]);
    await expect(TruthStore.open(dir)).rejects.toThrow("truth.ndjson:2: line is not valid UTF-8");
  });
});
