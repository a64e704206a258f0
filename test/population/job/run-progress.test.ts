/**
 * What a run tells its progress (population/job/progress.ts): the counts of every patient read,
 * from the first, so that a slow run (a few patients a second) shows its progress at once rather
 * than after hundreds of patients.
 */
import { describe, expect, it } from "vitest";
import { encounter, patient, tempDir, writeNdjson } from "../fixtures.ts";
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
