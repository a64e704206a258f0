import { describe, expect, it } from "vitest";
import { Checkpoint } from "../../../population/job/checkpoint.ts";
import { condition, encounter, patient, tempDir, writeNdjson } from "../fixtures.ts";
import { read, scorePopulation } from "./job-fixtures.ts";

const MRN = { type: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0203", code: "MR" }] } };

describe("resources repeated in a patient's record", () => {
  it("are counted once, by the feature builder that uses one version of each, in summary.html", async () => {
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
    const html = read(out, "summary.html");
    expect(html).toContain('<tr><td>skipped by the feature builder: Condition: duplicate id</td><td class="n">1</td></tr>');
    expect(html).toContain('<tr><td>skipped by the feature builder: Encounter: duplicate id</td><td class="n">2</td></tr>');
    // Counted once: not by the readers as well.
    expect(html).not.toMatch(/skipped by the reader: [^<]*(duplicate|copies)/);
  }, 60_000);

  it("give the outputs the Patient version the risk was computed from, whatever their order", async () => {
    // p1 twice: the version updated in 2024 (born 1960-06-01, MRN B) after the one of 2020 (born
    // 1950-06-01, MRN A). The features use the newer one: 65 at the index date 2026-01-01, band 60-69.
    const older = patient("p1", { birthDate: "1950-06-01", meta: { lastUpdated: "2020-01-01T00:00:00Z" }, identifier: [{ ...MRN, value: "A" }] });
    const newer = patient("p1", { birthDate: "1960-06-01", meta: { lastUpdated: "2024-01-01T00:00:00Z" }, identifier: [{ ...MRN, value: "B" }] });
    for (const order of [[older, newer], [newer, older]]) {
      const dir = tempDir();
      writeNdjson(dir, "Patient.ndjson", order);
      writeNdjson(dir, "Encounter.ndjson", [encounter("e1", "Patient/p1", "2018-01-01")]);
      const out = tempDir("patella-job-duplicates-");
      await scorePopulation(dir, out, { workers: 1 });
      const checkpoint = Checkpoint.openFinished(out);
      const [stored] = [...checkpoint.byId()];
      checkpoint.close();
      expect(stored).toMatchObject({ patientId: "p1", mrn: "B", ageBand: "60-69" });
    }
  }, 60_000);
});
