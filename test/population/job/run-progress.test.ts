/**
 * What a run tells its progress (population/job/progress.ts): the counts of every patient read,
 * from the first, so that a slow run (a few patients a second) shows its progress at once rather
 * than after hundreds of patients.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { STATE_FILE } from "../../../population/job/checkpoint.ts";
import type { Progress, ProgressCounts } from "../../../population/job/progress.ts";
import { describeScoring } from "../../../population/job/scoring-line.ts";
import { condition, encounter, patient, tempDir, writeNdjson } from "../fixtures.ts";
import { scorePopulation } from "./job-fixtures.ts";
import { recordingProgress } from "./recording-progress.ts";

describe("a run's progress", () => {
  it("has the counts of every patient read, from the first", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("p1"), patient("p2"), patient("p3")]);
    writeNdjson(dir, "Encounter.ndjson", [encounter("e1", "Patient/p1", "2018-01-01"), encounter("e3", "Patient/p3", "2018-01-01")]);
    const { progress, calls } = recordingProgress();
    await scorePopulation(dir, tempDir("patella-job-progress-"), { progress });
    // Then the last counts once the batches in flight are back.
    expect(calls).toEqual(["start", "update 1", "update 2", "update 3", "update 3", "stop"]);
  }, 60_000);
});

describe("a run's progress counts as resources", () => {
  it("the running total of resources read, at every patient: not only those the scoring threads have counted so far", async () => {
    // 40 patients, each a Patient and two Encounters: 3 resources a patient. In batches of 16,
    // the scoring threads count a batch's lines only once it comes back, so the lines showed 0
    // until the first batch was scored, and lagged behind by the batches in flight after that.
    const dir = tempDir();
    const ids = Array.from({ length: 40 }, (_, i) => `p${String(i).padStart(2, "0")}`);
    writeNdjson(dir, "Patient.ndjson", ids.map((id) => patient(id)));
    writeNdjson(
      dir,
      "Encounter.ndjson",
      ids.flatMap((id) => [encounter(`${id}-a`, `Patient/${id}`, "2018-01-01"), encounter(`${id}-b`, `Patient/${id}`, "2019-01-01")]),
    );
    const { progress, counts } = countingProgress();
    await scorePopulation(dir, tempDir("patella-job-progress-resources-"), { progress });
    const read = counts.slice(0, -1).map(({ patientsRead, resources }) => [patientsRead, resources]);
    expect(read).toEqual(ids.map((_, i) => [i + 1, 3 * (i + 1)]));
    expect(counts.at(-1)).toMatchObject({ patientsRead: 40, resources: 120 });
  }, 60_000);

  it("from zero again after a regrouping, when the spill has read every resource", async () => {
    // The same 40 patients, but p00's second Encounter comes last: the join finds the files
    // unordered only at the end, and every patient comes again from the spill, which reads all
    // 120 resources before it yields the first. The lines the join had read but not yet sent to
    // a scoring thread are not counted twice.
    const dir = tempDir();
    const ids = Array.from({ length: 40 }, (_, i) => `p${String(i).padStart(2, "0")}`);
    writeNdjson(dir, "Patient.ndjson", ids.map((id) => patient(id)));
    const encounters = ids.flatMap((id) => [encounter(`${id}-a`, `Patient/${id}`, "2018-01-01"), encounter(`${id}-b`, `Patient/${id}`, "2019-01-01")]);
    writeNdjson(dir, "Encounter.ndjson", [...encounters.slice(0, 1), ...encounters.slice(2), encounters[1]]);
    const counts: (ProgressCounts | "restart")[] = [];
    const progress: Progress = { start: () => undefined, restart: () => counts.push("restart"), update: (c) => counts.push({ ...c }), event: () => undefined, grouping: () => undefined, stop: () => undefined };
    await scorePopulation(dir, tempDir("patella-job-progress-regroup-"), { progress });
    const afterRestart = counts.slice(counts.indexOf("restart") + 1) as ProgressCounts[];
    expect(afterRestart.map(({ patientsRead, resources }) => [patientsRead, resources])).toEqual([...ids.map((_, i) => [i + 1, 120]), [40, 120]]);
  }, 60_000);
});

/** A progress that keeps a copy of every count the run gives it. */
function countingProgress(): { progress: Progress; counts: ProgressCounts[] } {
  const counts: ProgressCounts[] = [];
  const progress: Progress = { start: () => undefined, restart: () => undefined, update: (c) => counts.push({ ...c }), event: () => undefined, grouping: () => undefined, stop: () => undefined };
  return { progress, counts };
}

/**
 * p1 and p4 get a risk; p2 is not scored (knee OA diagnosed in 2017, before the index date) and
 * neither is p3 (resources but no Patient resource, "no patient"): 4 patients, 2 scored.
 */
function mixedPopulation(): string {
  const dir = tempDir();
  writeNdjson(dir, "Patient.ndjson", [patient("p1"), patient("p2"), patient("p4")]);
  writeNdjson(dir, "Condition.ndjson", [condition("c2", "Patient/p2", "239873007", "2017-01-01")]);
  writeNdjson(dir, "Encounter.ndjson", [encounter("e1", "Patient/p1", "2018-01-01"), encounter("e3", "Patient/p3", "2018-01-01"), encounter("e4", "Patient/p4", "2018-01-01")]);
  return dir;
}

describe("a run's progress counts as scored", () => {
  it("the patients given a risk, as the line the run ends with: not a patient already diagnosed, nor one without a Patient", async () => {
    const { progress, counts } = countingProgress();
    const result = await scorePopulation(mixedPopulation(), tempDir("patella-job-progress-"), { progress });
    expect(result.scored).toBe(2);
    expect(counts.at(-1)).toMatchObject({ patientsRead: 4, scored: 2, resumed: 0 });
  }, 60_000);

  it("in a resumed run, the patients given a risk by the earlier run too, as the line the run ends with", async () => {
    const input = mixedPopulation();
    const out = tempDir("patella-job-progress-resumed-");
    await scorePopulation(input, out);
    // As a run killed before it had stored p2 would leave the state: p1, p3 and p4 stored, the
    // input not read to the end.
    const db = new Database(join(out, STATE_FILE));
    db.prepare("DELETE FROM patient WHERE patient_id = 'p2'").run();
    db.prepare("DELETE FROM meta WHERE key IN ('input', 'timing')").run();
    db.close();
    const { progress, counts } = countingProgress();
    const result = await scorePopulation(input, out, { progress });
    // This run scores p2 only (no risk); p1 and p4 got theirs from the earlier run.
    expect(counts.at(-1)).toMatchObject({ patientsRead: 4, scored: 2, resumed: 3 });
    // p3 has no Patient resource: stored, never scored, and not counted as a patient.
    expect(describeScoring(result)).toMatch(/^3 patients \(2 scored\), 1 patient id referenced with no Patient resource \(not counted as patients\), 3 of the 4 stored by an earlier run, in /);
  }, 60_000);
});
