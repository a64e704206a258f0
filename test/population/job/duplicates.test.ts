import { describe, expect, it } from "vitest";
import { Checkpoint } from "../../../population/job/checkpoint.ts";
import { condition, encounter, patient, tempDir, writeNdjson } from "../fixtures.ts";
import { read, scorePopulation } from "./job-fixtures.ts";

describe("resources repeated in a patient's record", () => {
  it("are counted by the scoring threads into the run's counts and summary.html with the other skipped resources", async () => {
    // Ordered by patient: the scoring threads assemble the records. p1's Condition c1 comes twice,
    // p2's Encounter e2 three times: 1 Condition and 2 Encounters are copies.
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("p1"), patient("p2")]);
    const c1 = condition("c1", "Patient/p1", "44054006", "2016-03-01");
    writeNdjson(dir, "Condition.ndjson", [c1, c1, condition("c2", "Patient/p2", "44054006", "2017-03-01")]);
    const e2 = encounter("e2", "Patient/p2", "2018-01-01");
    writeNdjson(dir, "Encounter.ndjson", [encounter("e1", "Patient/p1", "2018-01-01"), e2, e2, e2]);
    const out = tempDir("patella-job-duplicates-");
    await scorePopulation(dir, out, { workers: 2, batchSize: 1 });
    const checkpoint = Checkpoint.openFinished(out);
    const report = checkpoint.inputReport()!;
    checkpoint.close();
    expect(report.grouping).toBe("merge-join");
    expect(report.skipped).toEqual({
      "duplicate (same type and id; one version used): Condition": 1,
      "duplicate (same type and id; one version used): Encounter": 2,
    });
    const html = read(out, "summary.html");
    expect(html).toContain('<tr><td>skipped: duplicate (same type and id; one version used): Condition</td><td class="n">1</td></tr>');
    expect(html).toContain('<tr><td>skipped: duplicate (same type and id; one version used): Encounter</td><td class="n">2</td></tr>');
  }, 60_000);
});
