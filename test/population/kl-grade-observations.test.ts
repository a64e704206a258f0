/**
 * The population job asks the readers (population/job/job-resource-types.ts JOB_READ) to keep the
 * imaging AI's KL grade Observations, which are not model input (shared/model-input.ts), for its
 * flag beside the risk (shared/imaging/recent-kl.ts, the card's and the app's rule). Kept so, they
 * are not counted as skipped; the other Observations that are not model input still are. The same
 * in every path: the merge join's lines, the spill and Bundle files. Any other consumer has them
 * set aside as today.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { FEATURE_RESOURCE_TYPES } from "../../models/features/feature-resource-types.ts";
import { JOB_READ } from "../../population/job/job-resource-types.ts";
import type { ResourceSelection } from "../../population/record-assembler.ts";
import { klGradeObservations } from "../support/imaging-examples.ts";
import { bundle, observation, patient, readAll, summarise, tempDir, writeNdjson } from "./fixtures.ts";

/** The KL grade Observations of one imaging AI report on `patientId`'s knees. */
const klGrades = (patientId: string, knees: { side: "left" | "right"; grade: number }[]): Resource[] => klGradeObservations(patientId, knees);

/** Per patient: KL grades and a lab result (not model input, not a KL grade) and a BMI (model input). */
const P1 = [...klGrades("p1", [{ side: "left", grade: 3 }, { side: "right", grade: 1 }]), observation("glucose1", "Patient/p1", "2345-7", "2024-01-02")];
const P2 = [observation("bmi2", "Patient/p2", "39156-5", "2024-02-03", 31), ...klGrades("p2", [{ side: "right", grade: 2 }]), observation("glucose2", "Patient/p2", "2345-7", "2024-02-03")];
const KEPT = { p1: ["Patient/p1", "Observation/kl-p1-o1", "Observation/kl-p1-o2"], p2: ["Patient/p2", "Observation/bmi2", "Observation/kl-p2-o1"] };
const NOT_MODEL_INPUT = "not model input: Observation other than BMI, weight or height";

const read = (dir: string, selection: ResourceSelection) => readAll(dir, { ...selection, skipBadLines: true });

function ndjsonPopulation(observations: readonly Resource[]): string {
  const dir = tempDir();
  writeNdjson(dir, "Patient.ndjson", [patient("p1"), patient("p2")]);
  writeNdjson(dir, "Observation.ndjson", observations);
  return dir;
}

describe("KL grade Observations read for the job's flag", () => {
  it("are kept, not counted as skipped, from NDJSON files ordered by patient (the merge join)", async () => {
    const { records, stats } = await read(ndjsonPopulation([...P1, ...P2]), JOB_READ);
    expect(stats.grouping).toBe("merge-join");
    expect(summarise(records)).toEqual(KEPT);
    expect(stats.resourcesByType).toEqual({ Patient: 2, Observation: 6 });
    // The two lab results only.
    expect(stats.skipped).toEqual({ [NOT_MODEL_INPUT]: 2 });
  });

  it("are kept from NDJSON files not ordered by patient (the spill)", async () => {
    const { records, stats } = await read(ndjsonPopulation([...P2, ...P1]), JOB_READ);
    expect(stats.grouping).toBe("sqlite-spill");
    expect(summarise(records)).toEqual(KEPT);
    expect(stats.skipped).toEqual({ [NOT_MODEL_INPUT]: 2 });
  });

  it("are kept from Bundle files", async () => {
    const dir = tempDir();
    for (const [id, observations] of [["p1", P1], ["p2", P2]] as const) {
      writeFileSync(join(dir, `${id}.json`), JSON.stringify(bundle([patient(id), ...observations].map((resource) => ({ resource })))));
    }
    const { records, stats } = await read(dir, JOB_READ);
    expect(summarise(records)).toEqual(KEPT);
    expect(stats.resourcesByType).toEqual({ Patient: 2, Observation: 6 });
    expect(stats.skipped).toEqual({ [NOT_MODEL_INPUT]: 2 });
  });

  it("are set aside as not model input, and counted so, for any other consumer", async () => {
    const dir = ndjsonPopulation([...P1, ...P2]);
    const modelInputOnly = { p1: ["Patient/p1"], p2: ["Patient/p2", "Observation/bmi2"] };
    for (const selection of [{ resourceTypes: FEATURE_RESOURCE_TYPES }, {}, { resourceTypes: JOB_READ.resourceTypes, keepOfType: JOB_READ.keepOfType }]) {
      const { records, stats } = await read(dir, selection);
      expect(summarise(records)).toEqual(modelInputOnly);
      expect(stats.skipped).toEqual({ [NOT_MODEL_INPUT]: 5 });
    }
  });
});
