/**
 * The progress of grouping NDJSON on disk (the SQLite spill of files not ordered by patient): a
 * running count of the resources grouped, so that the minutes a big export spends there are not
 * silent on the terminal and in the log. Input ordered by patient is never grouped so.
 */
import { describe, expect, it } from "vitest";
import type { Progress } from "../../../population/job/progress.ts";
import { encounter, patient, tempDir, writeNdjson } from "../fixtures.ts";
import { scorePopulation } from "./job-fixtures.ts";

/** A progress that keeps every grouping count the run gives it, and nothing else. */
function groupingProgress(): { progress: Progress; grouped: { resourcesGrouped: number; finished: boolean }[] } {
  const grouped: { resourcesGrouped: number; finished: boolean }[] = [];
  const progress: Progress = {
    start: () => undefined,
    restart: () => undefined,
    update: () => undefined,
    event: () => undefined,
    grouping: (resourcesGrouped, finished) => grouped.push({ resourcesGrouped, finished }),
    stop: () => undefined,
  };
  return { progress, grouped };
}

/** 3 Patients, 5 Encounters (in `encounterOrder`) and an Organization, which is no patient's. */
function population(encounterOrder: "by patient" | "not by patient"): string {
  const dir = tempDir("patella-job-grouping-in-");
  writeNdjson(dir, "Patient.ndjson", [patient("p1"), patient("p2"), patient("p3")]);
  const encounters = [
    encounter("e1a", "Patient/p1", "2018-01-01"),
    encounter("e1b", "Patient/p1", "2019-01-01"),
    encounter("e2a", "Patient/p2", "2018-01-01"),
    encounter("e3a", "Patient/p3", "2018-01-01"),
    encounter("e3b", "Patient/p3", "2019-01-01"),
  ];
  // p1's second Encounter last: the join meets it after p3's, and the run regroups on disk.
  writeNdjson(dir, "Encounter.ndjson", encounterOrder === "by patient" ? encounters : [...encounters.slice(0, 1), ...encounters.slice(2), encounters[1]]);
  writeNdjson(dir, "Organization.ndjson", [{ resourceType: "Organization", id: "o1", name: "A clinic" }]);
  return dir;
}

describe("grouping NDJSON on disk", () => {
  it("reports a running count of the resources grouped, ending at every patient's resource", async () => {
    const { progress, grouped } = groupingProgress();
    await scorePopulation(population("not by patient"), tempDir("patella-job-grouping-out-"), { progress });
    // The 3 Patients and the 5 Encounters go into the patients' groups; the Organization, shared,
    // does not: 8 resources grouped.
    expect(grouped.at(-1)).toEqual({ resourcesGrouped: 8, finished: true });
    expect(grouped.slice(0, -1).every(({ finished }) => !finished)).toBe(true);
    const counts = grouped.map(({ resourcesGrouped }) => resourcesGrouped);
    // A running count: it grows as the files are read (the Patient file's 3 first), never back.
    expect(counts[0]).toBe(3);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
  }, 60_000);

  it("is never reported for input ordered by patient (the merge join groups it as it reads)", async () => {
    const { progress, grouped } = groupingProgress();
    await scorePopulation(population("by patient"), tempDir("patella-job-grouping-ordered-out-"), { progress });
    expect(grouped).toEqual([]);
  }, 60_000);
});
