import { describe, expect, it } from "vitest";
import { mergeJoin, NotOrderedError } from "../../population/ndjson-merge-join.ts";
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
