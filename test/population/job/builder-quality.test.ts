/**
 * What the feature builder skipped and the codes it did not recognise, in each scored patient's
 * record (features.quality), reach the run's totals through the checkpoint and summary.html.
 */
import type { Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { UNMAPPED_CODES_KEPT } from "../../../population/job/builder-totals.ts";
import { Checkpoint } from "../../../population/job/checkpoint.ts";
import { runIdentity } from "../run-identity.ts";
import type { ScoredRow } from "../../../population/job/scored-patient.ts";
import { encounter, patient, tempDir, writeNdjson } from "../fixtures.ts";
import { INDEX_DATE, read, scorePopulation } from "./job-fixtures.ts";

const LOCAL = "http://example.org/local-diagnosis";

function localCondition(id: string, patientId: string, onset: string, code?: string): Resource {
  return {
    resourceType: "Condition",
    id,
    subject: { reference: `Patient/${patientId}` },
    // A display is free text (here a name): it must not reach the summary.
    ...(code === undefined ? {} : { code: { coding: [{ system: LOCAL, code, display: "Jane Doe's note" }] } }),
    onsetDateTime: onset,
  } as Resource;
}

describe("the feature builder's counts in a run", () => {
  it("adds up every scored record's skipped resources and codes not recognised, beside the reader's skips, without display text", async () => {
    // p1: c1 has no code (skipped by the builder), c2 and c3 have the local code X. p2: X once, Y
    // once. p3: birth date 1950-13-01 (skipped by the builder; not scored, no birth date). c9 names
    // no patient (skipped by the reader). So: Condition: no code 1, Patient: invalid birthDate 1;
    // X 3 times in 2 patients, Y once in 1; 2 distinct codes.
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("p1"), patient("p2"), patient("p3", { birthDate: "1950-13-01" })]);
    const noSubject = { ...localCondition("c9", "p1", "2020-01-01", "X"), subject: undefined };
    writeNdjson(dir, "Condition.ndjson", [
      localCondition("c1", "p1", "2020-01-01"),
      localCondition("c2", "p1", "2020-02-01", "X"),
      localCondition("c3", "p1", "2020-03-01", "X"),
      localCondition("c4", "p2", "2021-01-01", "X"),
      localCondition("c5", "p2", "2021-02-01", "Y"),
      noSubject,
    ]);
    writeNdjson(dir, "Encounter.ndjson", [encounter("e1", "Patient/p1", "2024-01-01"), encounter("e2", "Patient/p2", "2024-01-01"), encounter("e3", "Patient/p3", "2024-01-01")]);
    const out = tempDir("patella-job-builder-");
    // One patient a batch on two threads: the totals are added from several batches.
    await scorePopulation(dir, out, { workers: 2, batchSize: 1 });

    const checkpoint = Checkpoint.openFinished(out);
    const totals = checkpoint.builderQuality();
    checkpoint.close();
    expect(totals).toEqual({
      skipped: { "Condition: no code": 1, "Patient: invalid birthDate": 1 },
      distinctCodes: 2,
      topCodes: [
        { code: `${LOCAL}|X`, occurrences: 3, patients: 2 },
        { code: `${LOCAL}|Y`, occurrences: 1, patients: 1 },
      ],
      codesNotKeptOccurrences: 0,
      codesNotShownOccurrences: 0,
    });
    const html = read(out, "summary.html");
    expect(html).toContain('<tr><td>skipped by the reader: no patient reference: Condition</td><td class="n">1</td></tr>');
    expect(html).toContain('<tr><td>skipped by the feature builder: Condition: no code</td><td class="n">1</td></tr>');
    expect(html).toContain('<tr><td>skipped by the feature builder: Patient: invalid birthDate</td><td class="n">1</td></tr>');
    expect(html).toContain("value sets): 2 distinct; the 2 most frequent:</p>");
    expect(html).toContain(`<tr><td>${LOCAL}|X</td><td class="n">3</td><td class="n">2</td></tr><tr><td>${LOCAL}|Y</td><td class="n">1</td><td class="n">1</td></tr>`);
    expect(html).not.toMatch(/Jane|Doe/);
  }, 60_000);
});

const identity = runIdentity({ indexDate: INDEX_DATE, inputFiles: "", rules: "test", model: { name: "m", version: "1", specVersion: "s", sha256: "0".repeat(64) } });

const row = (patientId: string, unmappedCodes: Record<string, number>, skipped: Record<string, number> = {}): ScoredRow => ({
  patientId,
  probability: null,
  json: "{}",
  builderQuality: { skipped, unmappedCodes },
});

describe("the checkpoint's totals of the feature builder's counts", () => {
  it("keeps the first 100,000 distinct codes and counts the occurrences of any other in one figure", () => {
    const checkpoint = Checkpoint.open(tempDir("patella-job-codes-"), identity);
    try {
      // a: codes c0 ... c99999 once each, the cap. b: c0 twice more (kept: 3 in 2 patients), and
      // two codes first seen past the cap, 3 and 4 times: 7 occurrences not kept.
      const everyCode = Object.fromEntries(Array.from({ length: UNMAPPED_CODES_KEPT }, (_, i) => [`urn:l|c${i}`, 1]));
      checkpoint.addRows([row("a", everyCode)]);
      checkpoint.addRows([row("b", { "urn:l|c0": 2, "urn:l|new1": 3, "urn:l|new2": 4 })]);
      const totals = checkpoint.builderQuality();
      expect(totals.distinctCodes).toBe(100_000);
      expect(totals.codesNotKeptOccurrences).toBe(7);
      // Then by patients, then by code: "urn:l|c1" < "urn:l|c10" < "urn:l|c100" ...
      expect(totals.topCodes.slice(0, 3)).toEqual([
        { code: "urn:l|c0", occurrences: 3, patients: 2 },
        { code: "urn:l|c1", occurrences: 1, patients: 1 },
        { code: "urn:l|c10", occurrences: 1, patients: 1 },
      ]);
      expect(totals.topCodes).toHaveLength(20);
    } finally {
      checkpoint.close();
    }
  });

  it("counts a patient once though a batch brings it again, and forgets every count with the patients when regrouping", () => {
    const checkpoint = Checkpoint.open(tempDir("patella-job-codes-"), identity);
    try {
      checkpoint.addRows([row("a", { "urn:l|x": 2 }, { "Condition: no code": 1 }), row("b", { "urn:l|x": 1 })]);
      checkpoint.addRows([row("a", { "urn:l|x": 2 }, { "Condition: no code": 1 }), row("c", {}, { "Condition: no code": 2 })]);
      expect(checkpoint.builderQuality()).toEqual({
        skipped: { "Condition: no code": 3 },
        distinctCodes: 1,
        topCodes: [{ code: "urn:l|x", occurrences: 3, patients: 2 }],
        codesNotKeptOccurrences: 0,
        codesNotShownOccurrences: 0,
      });
      checkpoint.restartWithSpill();
      expect(checkpoint.builderQuality()).toEqual({ skipped: {}, distinctCodes: 0, topCodes: [], codesNotKeptOccurrences: 0, codesNotShownOccurrences: 0 });
    } finally {
      checkpoint.close();
    }
  });
});
