/**
 * The population job asks the readers (population/job/job-resource-types.ts JOB_READ), of the
 * Procedures, only for those that name a knee replacement: the one use Patella has for them
 * (shared/knee-replaced.ts). A Synthea export writes dozens a patient; the
 * others are passed over as a type not asked for is (counted among the resources read, not as
 * skipped), so neither the spill nor a record holds them. The same in every path: the merge
 * join's lines, the spill and Bundle files.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { FEATURE_RESOURCE_TYPES } from "../../models/features/feature-resource-types.ts";
import { JOB_READ } from "../../population/job/job-resource-types.ts";
import type { ResourceSelection } from "../../population/record-assembler.ts";
import { bundle, patient, readAll, summarise, tempDir, writeNdjson } from "./fixtures.ts";

const procedure = (id: string, patientId: string, system: string, code: string): Resource =>
  ({ resourceType: "Procedure", id, status: "completed", subject: { reference: `Patient/${patientId}` }, code: { coding: [{ system, code }] }, performedDateTime: "2021-05-11" }) as Resource;

const SNOMED = "http://snomed.info/sct";
/** Per patient: a total knee replacement (SNOMED CT), a revision by ICD-10-PCS, and two others. */
const P1 = [procedure("tkr", "p1", SNOMED, "609588000"), procedure("appendix", "p1", SNOMED, "80146002")];
const P2 = [procedure("hip", "p2", SNOMED, "52734007"), procedure("revision", "p2", "http://www.cms.gov/Medicare/Coding/ICD10", "0SWC0JZ")];
const KEPT = { p1: ["Patient/p1", "Procedure/tkr"], p2: ["Patient/p2", "Procedure/revision"] };

const read = (dir: string, selection: ResourceSelection) => readAll(dir, { ...selection, skipBadLines: true });

describe("Procedures read for the knee-replacement flag", () => {
  it("keeps only the knee replacements, from NDJSON files ordered by patient (the merge join)", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("p1"), patient("p2")]);
    writeNdjson(dir, "Procedure.ndjson", [...P1, ...P2]);
    const { records, stats } = await read(dir, JOB_READ);
    expect(stats.grouping).toBe("merge-join");
    expect(summarise(records)).toEqual(KEPT);
    expect(stats.resourcesByType).toEqual({ Patient: 2, Procedure: 4 });
    expect(stats.skipped).toEqual({});
  });

  it("keeps only the knee replacements from NDJSON files not ordered by patient (the spill)", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("p1"), patient("p2")]);
    writeNdjson(dir, "Procedure.ndjson", [...P2, ...P1]);
    const { records, stats } = await read(dir, JOB_READ);
    expect(stats.grouping).toBe("sqlite-spill");
    expect(summarise(records)).toEqual(KEPT);
    expect(stats.skipped).toEqual({});
  });

  it("keeps only the knee replacements from Bundle files", async () => {
    const dir = tempDir();
    for (const [id, procedures] of [["p1", P1], ["p2", P2]] as const) {
      writeFileSync(join(dir, `${id}.json`), JSON.stringify(bundle([patient(id), ...procedures].map((resource) => ({ resource })))));
    }
    const { records, stats } = await read(dir, JOB_READ);
    expect(summarise(records)).toEqual(KEPT);
    expect(stats.resourcesByType).toEqual({ Patient: 2, Procedure: 4 });
    expect(stats.skipped).toEqual({});
  });

  it("keeps none for the commands that read the feature builder's types only, and all of them for a reader asking for every type", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("p1"), patient("p2")]);
    writeNdjson(dir, "Procedure.ndjson", [...P1, ...P2]);
    expect(summarise((await read(dir, { resourceTypes: FEATURE_RESOURCE_TYPES })).records)).toEqual({ p1: ["Patient/p1"], p2: ["Patient/p2"] });
    const everyProcedure = { p1: ["Patient/p1", "Procedure/tkr", "Procedure/appendix"], p2: ["Patient/p2", "Procedure/hip", "Procedure/revision"] };
    expect(summarise((await readAll(dir)).records)).toEqual(everyProcedure);
    // The filter is the job's, not the readers': another consumer asking for Procedures gets all.
    expect(summarise((await read(dir, { resourceTypes: JOB_READ.resourceTypes })).records)).toEqual(everyProcedure);
  });
});
