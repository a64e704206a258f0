import { describe, expect, it } from "vitest";
import { mergeJoin, NotOrderedError } from "../../population/ndjson-merge-join.ts";
import { assemblePatientLines } from "../../population/ndjson-patient-lines.ts";
import { openPopulation } from "../../population/read-population.ts";
import { countingPolicy } from "../../population/skipped-lines.ts";
import type { PatientRecord } from "../../population/types.ts";
import { condition, patient, readAll, summarise, tempDir, writeNdjson } from "./fixtures.ts";

/** An item of the in-memory join: "p1:Patient", "p1:Condition". */
const files: Record<string, string[]> = {};
async function* read(file: string): AsyncGenerator<string[]> {
  yield files[file]!;
}
const join = (patients: string[], others: string[]) => {
  files["Patient"] = patients;
  files["Other"] = others;
  return mergeJoin({
    patientFiles: ["Patient"],
    otherFiles: ["Other"],
    read,
    place: (item) => item.split(":")[0]!,
    typeOf: (item) => item.split(":")[1]!,
    collect: (): string[] => [],
  });
};
async function groups(patients: string[], others: string[]) {
  const out: Record<string, string[]> = {};
  for await (const group of join(patients, others)) out[group.patientId] = group.items;
  return out;
}

describe("mergeJoin and repeated Patient lines", () => {
  it("joins a Patient line repeated right after itself into one group", async () => {
    expect(await groups(["p1:Patient", "p1:Patient", "p2:Patient"], ["p1:Condition", "p2:Condition"])).toEqual({
      p1: ["p1:Patient", "p1:Patient", "p1:Condition"],
      p2: ["p2:Patient", "p2:Condition"],
    });
  });

  it("refuses a Patient listed again after other patients, rather than yield it again without its data", async () => {
    await expect(groups(["p1:Patient", "p2:Patient", "p1:Patient"], ["p1:Condition", "p2:Condition"])).rejects.toThrow(
      new NotOrderedError("a Patient listed again after other patients"),
    );
  });
});

describe("openPopulation with a Patient repeated in another Patient file", () => {
  it("reads every patient once, with all of their resources (from the spill)", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.000.ndjson", [patient("p1"), patient("p2")]);
    writeNdjson(dir, "Patient.001.ndjson", [patient("p1")]);
    writeNdjson(dir, "Condition.ndjson", [
      condition("c1", "Patient/p1", "44054006", "2015-03-01"),
      condition("c2", "Patient/p2", "59621000", "2016-03-01"),
    ]);
    const { records, stats } = await readAll(dir);
    expect(stats.grouping).toBe("sqlite-spill");
    expect(summarise(records)).toEqual({ p1: ["Patient/p1", "Patient/p1", "Condition/c1"], p2: ["Patient/p2", "Condition/c2"] });
    expect(stats.patients).toBe(2);
  });
});

describe("mergeJoin after a line of a Patient file that names no patient (an unreadable Patient line)", () => {
  // "?" items stand for a bad line: placed on no patient. `oneABatch`: each item read alone, so
  // the join sees no Patient still to come in the batch.
  const joinWithBadLines = (patients: string[], others: string[], oneABatch: boolean) => {
    files["Patient"] = patients;
    files["Other"] = others;
    return mergeJoin({
      patientFiles: ["Patient"],
      otherFiles: ["Other"],
      read: oneABatch ? readOneABatch : read,
      place: (item) => (item.startsWith("?") ? null : item.split(":")[0]!),
      typeOf: (item) => item.split(":")[1] ?? "",
      collect: (): string[] => [],
    });
  };
  async function* readOneABatch(file: string): AsyncGenerator<string[]> {
    for (const item of files[file]!) yield [item];
  }
  const joined = async (patients: string[], others: string[], oneABatch = false) => {
    const out: [string, string[]][] = [];
    for await (const group of joinWithBadLines(patients, others, oneABatch)) out.push([group.patientId, group.items]);
    return out;
  };

  it("yields the resources found in its place as a patient without a Patient, in order, as the spill groups them", async () => {
    expect(await joined(["p1:Patient", "?", "p3:Patient"], ["p1:Condition", "p2:Condition", "p2:Encounter", "p3:Condition"])).toEqual([
      ["p1", ["p1:Patient", "p1:Condition"]],
      ["p2", ["p2:Condition", "p2:Encounter"]],
      ["p3", ["p3:Patient", "p3:Condition"]],
    ]);
    // First and last in the Patient file, and two in a row.
    expect(await joined(["?", "p2:Patient", "?", "?"], ["p1:Condition", "p2:Condition", "p3:Condition", "p4:Condition"])).toEqual([
      ["p1", ["p1:Condition"]],
      ["p2", ["p2:Patient", "p2:Condition"]],
      ["p3", ["p3:Condition"]],
      ["p4", ["p4:Condition"]],
    ]);
    // Nothing of that patient elsewhere: nothing to yield.
    expect(await joined(["p1:Patient", "?", "p3:Patient"], ["p1:Condition", "p3:Condition"])).toEqual([
      ["p1", ["p1:Patient", "p1:Condition"]],
      ["p3", ["p3:Patient", "p3:Condition"]],
    ]);
    // Nor of the next patient: the resources in its place are those of a Patient still to come.
    expect(await joined(["p1:Patient", "?", "p3:Patient", "p4:Patient"], ["p1:Condition", "p4:Condition"])).toEqual([
      ["p1", ["p1:Patient", "p1:Condition"]],
      ["p3", ["p3:Patient"]],
      ["p4", ["p4:Patient", "p4:Condition"]],
    ]);
  });

  it("takes no more patients in its place than there were such lines: the rest is out of order", async () => {
    await expect(joined(["p1:Patient", "?", "p4:Patient"], ["p1:Condition", "p2:Condition", "p3:Condition", "p4:Condition"])).rejects.toThrow(NotOrderedError);
  });

  it("still finds a patient without a Patient line out of order when no line was unreadable", async () => {
    await expect(joined(["p1:Patient", "p3:Patient"], ["p1:Condition", "p2:Condition", "p3:Condition"])).rejects.toThrow(NotOrderedError);
  });

  it("finds it out of order when that patient's Patient comes later after all, or their resources do", async () => {
    await expect(joined(["p1:Patient", "?", "p3:Patient", "p2:Patient"], ["p1:Condition", "p2:Condition", "p3:Condition"], true)).rejects.toThrow(
      new NotOrderedError("a Patient listed again after other patients"),
    );
    // Seen coming in the batch read: not taken for the unreadable line's, and out of order all the same.
    await expect(joined(["p1:Patient", "?", "p3:Patient", "p2:Patient"], ["p1:Condition", "p2:Condition", "p3:Condition"])).rejects.toThrow(NotOrderedError);
    await expect(joined(["p1:Patient", "?", "p3:Patient"], ["p1:Condition", "p2:Condition", "p3:Condition", "p2:Encounter"])).rejects.toThrow(NotOrderedError);
    // Another unreadable line where p2's later resources are: p2 was yielded, and is not again.
    await expect(joined(["p1:Patient", "?", "p3:Patient", "?"], ["p1:Condition", "p2:Condition", "p3:Condition", "p2:Encounter"])).rejects.toThrow(NotOrderedError);
  });
});

describe("openPopulation with an unreadable Patient line in files ordered by patient", () => {
  function populationWithCutPatientLine(): string {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("p1")], ['{"resourceType":"Patient","id":"p2","gen', JSON.stringify(patient("p3"))]);
    writeNdjson(dir, "Condition.ndjson", [
      condition("c1", "Patient/p1", "44054006", "2015-03-01"),
      condition("c2", "Patient/p2", "59621000", "2016-03-01"),
      condition("c3", "Patient/p3", "59621000", "2017-03-01"),
    ]);
    return dir;
  }

  it("joins without a restart, giving the records and counts the spill gives", async () => {
    const joined = await openPopulation(populationWithCutPatientLine(), { skipBadLines: true });
    const spilled = await openPopulation(populationWithCutPatientLine(), { skipBadLines: true });
    const records = async (population: Awaited<ReturnType<typeof openPopulation>>, spill: boolean) => {
      const out: PatientRecord[] = [];
      for await (const group of population.groups({ spill })) {
        expect(group.kind).not.toBe("restart");
        if (group.kind === "lines") out.push(assemblePatientLines(group.group, population.lineAssembly, population.stats, countingPolicy(population.stats, true)));
        if (group.kind === "record") out.push(group.record);
      }
      return out.sort((a, b) => (a.patientId < b.patientId ? -1 : 1));
    };
    const fromJoin = await records(joined, false);
    expect(joined.stats.grouping).toBe("merge-join");
    expect(summarise(fromJoin)).toEqual({ p1: ["Patient/p1", "Condition/c1"], p2: ["Condition/c2"], p3: ["Patient/p3", "Condition/c3"] });
    const fromSpill = await records(spilled, true);
    expect(spilled.stats.grouping).toBe("sqlite-spill");
    expect(fromJoin).toEqual(fromSpill);
    expect(joined.stats).toEqual({ ...spilled.stats, grouping: "merge-join" });
    expect(joined.stats.skippedLines).toEqual([{ where: "Patient.ndjson:2", reason: "line is not valid JSON" }]);
  });
});
