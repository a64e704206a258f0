import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readTruth } from "../../../models/evaluation/truth-file.ts";

describe("readTruth", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "truth-test-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const line = { patientId: "p1", sex: "female", birthDate: "1950-01-01", kneeOaDiagnosisDate: null, indexDates: [{ date: "2020-01-01", trueRisk1y: 0.01, outcome1y: false }] };

  it("returns null without truth.ndjson", async () => {
    expect(await readTruth(dir)).toBeNull();
  });

  it("maps patients to their truth, skipping blank lines", async () => {
    await writeFile(path.join(dir, "truth.ndjson"), `${JSON.stringify(line)}\n\n${JSON.stringify({ ...line, patientId: "p2" })}\n`);
    const truth = await readTruth(dir);
    expect([...truth!.keys()]).toEqual(["p1", "p2"]);
    expect(truth!.get("p1")!.indexDates[0]!.trueRisk1y).toBe(0.01);
  });

  it("names the file and line of a bad record", async () => {
    const file = path.join(dir, "truth.ndjson");
    await writeFile(file, `${JSON.stringify(line)}\n{"patientId":"p2","indexDates":[{"date":"2020-01-01"}]}\n`);
    await expect(readTruth(dir)).rejects.toThrow(`${file}:2: not a truth record`);
    await writeFile(file, "{oops\n");
    await expect(readTruth(dir)).rejects.toThrow(`${file}:1: not valid JSON`);
  });
});
