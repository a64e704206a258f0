/**
 * What the NDJSON readers say of a line's id (population/line-id-check.ts), with its `file:line`
 * and never its content: a Patient without an id is a bad line (it used to be dropped with only a
 * count: the review's Patient.ndjson:1119), another resource without an id is read and reported,
 * and a Patient listed again is reported at the later line (the review: a copy of a Patient in a
 * second file, resolved without a word). The same through the merge join, the spill and the
 * population job's groups().
 */
import type { Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { PATIENT_LISTED_AGAIN, PATIENT_WITHOUT_ID } from "../../population/line-id-check.ts";
import { assemblePatientLines } from "../../population/ndjson-patient-lines.ts";
import { openPopulation } from "../../population/read-population.ts";
import { countingPolicy } from "../../population/skipped-lines.ts";
import type { PatientRecord, PopulationStats } from "../../population/types.ts";
import { condition, encounter, patient, readAll, summarise, tempDir, writeNdjson } from "./fixtures.ts";

const withoutId = (resource: Resource): Resource => {
  const { id: _id, ...rest } = resource;
  return rest as Resource;
};

const CONDITION_WITHOUT_ID = "Condition without an id: read all the same (placed by its patient reference)";
const ENCOUNTER_WITHOUT_ID = "Encounter without an id: read all the same (placed by its patient reference)";

/**
 * p1, a Patient without an id (line 2), p2. Condition.ndjson line 2 is p1's Condition without an
 * id; Encounter.ndjson line 1 is p2's Encounter without an id. `unordered`: the Conditions out of
 * the Patients' order (the spill).
 */
function population(unordered = false): string {
  const dir = tempDir();
  writeNdjson(dir, "Patient.ndjson", [patient("p1"), withoutId(patient("x")), patient("p2")]);
  const conditions = [condition("c1", "Patient/p1", "44054006", "2015-03-01"), withoutId(condition("c2", "Patient/p1", "59621000", "2016-03-01")), condition("c3", "Patient/p2", "38341003", "2017-03-01")];
  writeNdjson(dir, "Condition.ndjson", unordered ? [conditions[2]!, conditions[0]!, conditions[1]!] : conditions);
  writeNdjson(dir, "Encounter.ndjson", [withoutId(encounter("e1", "Patient/p2", "2017-03-01"))]);
  return dir;
}

/** groups() as the population job reads it, lines assembled as its scoring threads do. */
async function readGroups(dir: string) {
  const found: { where: string; reason: string; read?: boolean }[] = [];
  const population = await openPopulation(dir, { skipBadLines: true, onBadLine: (where, reason, read) => found.push({ where, reason, ...(read ? { read } : {}) }) });
  const policy = countingPolicy(population.stats, true, (where, reason, read) => found.push({ where, reason, ...(read ? { read } : {}) }));
  const records: PatientRecord[] = [];
  for await (const group of population.groups()) {
    if (group.kind === "restart") continue;
    records.push(group.kind === "record" ? group.record : assemblePatientLines(group.group, population.lineAssembly, population.stats, policy));
  }
  return { records, stats: population.stats, found };
}

/** What every path reports of population(): the Patient without an id skipped, the others read. */
function expectReported(stats: PopulationStats, conditionLine = 2): void {
  expect(stats.skipped[PATIENT_WITHOUT_ID]).toBe(1);
  expect(stats.flagged).toEqual({ [CONDITION_WITHOUT_ID]: 1, [ENCOUNTER_WITHOUT_ID]: 1 });
  // By place: file name, then line.
  expect(stats.skippedLines).toEqual([
    { where: `Condition.ndjson:${conditionLine}`, reason: CONDITION_WITHOUT_ID, read: true },
    { where: "Encounter.ndjson:1", reason: ENCOUNTER_WITHOUT_ID, read: true },
    { where: "Patient.ndjson:2", reason: PATIENT_WITHOUT_ID },
  ]);
}

describe("a resource line without an id", () => {
  it("is a bad line when it is a Patient, reported with its file:line; any other is read and reported so (merge join)", async () => {
    const { records, stats } = await readAll(population(), { skipBadLines: true });
    expect(stats.grouping).toBe("merge-join");
    expectReported(stats);
    // The Condition and the Encounter without an id are in their patients' records.
    expect(summarise(records)).toEqual({
      p1: ["Patient/p1", "Condition/c1", "Condition/undefined"],
      p2: ["Patient/p2", "Condition/c3", "Encounter/undefined"],
    });
  });

  it("is reported the same through the spill (files not ordered by patient)", async () => {
    const { records, stats } = await readAll(population(true), { skipBadLines: true });
    expect(stats.grouping).toBe("sqlite-spill");
    // c2, without an id, is the third line of the unordered Condition file.
    expectReported(stats, 3);
    expect(records.map((r) => r.resources.length)).toEqual([3, 3]);
  });

  it("is reported the same by the population job's read, each line once, without a restart", async () => {
    const { records, stats, found } = await readGroups(population());
    expectReported(stats);
    expect(records.map((r) => r.patientId)).toEqual(["p1", "p2"]);
    expect(found.sort((a, b) => a.where.localeCompare(b.where))).toEqual([
      { where: "Condition.ndjson:2", reason: CONDITION_WITHOUT_ID, read: true },
      { where: "Encounter.ndjson:1", reason: ENCOUNTER_WITHOUT_ID, read: true },
      { where: "Patient.ndjson:2", reason: PATIENT_WITHOUT_ID },
    ]);
  });

  it("says a Medication without an id is not used: no reference can name it", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("p1")]);
    writeNdjson(dir, "Medication.ndjson", [{ resourceType: "Medication", code: { text: "x" } }]);
    const { stats } = await readAll(dir, { skipBadLines: true });
    expect(stats.flagged).toEqual({ "Medication without an id: no reference can name it, so it is not used": 1 });
    expect(stats.skippedLines).toEqual([{ where: "Medication.ndjson:1", reason: "Medication without an id: no reference can name it, so it is not used", read: true }]);
  });
});

describe("a Patient listed again", () => {
  it("is reported at the later line, in a second file (the spill) or right after itself (the merge join), never with its id", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("e8e09f5a"), patient("p2")]);
    writeNdjson(dir, "Condition.ndjson", [condition("c1", "Patient/e8e09f5a", "44054006", "2015-03-01"), condition("c2", "Patient/p2", "44054006", "2015-03-01")]);
    // The review's copy, with another birth date, in a second Patient file (read after
    // Patient.ndjson: files are read in name order, and the later line met is the one reported).
    writeNdjson(dir, "Patient2.ndjson", [patient("p3"), patient("e8e09f5a", { birthDate: "1990-01-01" })]);
    for (const read of [await readAll(dir, { skipBadLines: true }), await readGroups(dir)]) {
      expect(read.stats.flagged).toEqual({ [PATIENT_LISTED_AGAIN]: 1 });
      expect(read.stats.skippedLines).toEqual([{ where: "Patient2.ndjson:2", reason: PATIENT_LISTED_AGAIN, read: true }]);
      expect(JSON.stringify(read.stats)).not.toContain("e8e09f5a");
      expect(JSON.stringify(read.stats)).not.toContain("1990");
    }
    const adjacent = tempDir();
    writeNdjson(adjacent, "Patient.ndjson", [patient("p1"), patient("p1"), patient("p2")]);
    const joined = await readAll(adjacent, { skipBadLines: true });
    expect(joined.stats.grouping).toBe("merge-join");
    expect(joined.stats.skippedLines).toEqual([{ where: "Patient.ndjson:2", reason: PATIENT_LISTED_AGAIN, read: true }]);
  });
});
