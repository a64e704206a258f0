import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runFeatures } from "../../../models/features/feature-run.ts";
import { buildFeatures } from "../../../shared/features/build-features.ts";
import { CHANNEL_COUNT, CHANNELS, STATIC_COUNT, WEEKS } from "../../../shared/features/spec.ts";
import { condition, encounter, patient, tempDir, writeNdjson } from "../../population/fixtures.ts";

const HYPERTENSION = CHANNELS.findIndex((c) => c.id === "hypertension");

/** p1: adult with hypertension on 3 days of the week before 2020-01-08; p2: a child;
 * p3: knee OA in 2017, before its index date; p4: not in the truth. */
function writeCohort(dir: string): void {
  writeNdjson(dir, "Patient.ndjson", [
    patient("p1", { birthDate: "1950-03-01" }),
    patient("p2", { birthDate: "2012-01-01", gender: "male" }),
    patient("p3", { birthDate: "1945-01-01" }),
    patient("p4"),
  ]);
  writeNdjson(dir, "Condition.ndjson", [
    condition("c1", "Patient/p1", "59621000", "2020-01-05"),
    condition("c2", "Patient/p1", "59621000", "2020-01-06"),
    condition("c3", "Patient/p1", "59621000", "2020-01-07"),
    condition("c4", "Patient/p3", "239873007", "2017-06-01"),
  ]);
  writeNdjson(dir, "Encounter.ndjson", [
    encounter("e1", "Patient/p1", "2015-01-01"),
    encounter("e2", "Patient/p2", "2016-01-01"),
    encounter("e3", "Patient/p3", "2015-01-01"),
  ]);
  const truth = (patientId: string, dates: [string, number, boolean][]) =>
    JSON.stringify({
      patientId,
      sex: "female",
      birthDate: "1950-01-01",
      kneeOaDiagnosisDate: null,
      indexDates: dates.map(([date, trueRisk1y, outcome1y]) => ({ date, trueRisk1y, outcome1y })),
    });
  writeFileSync(
    join(dir, "truth.ndjson"),
    [
      truth("p1", [["2019-01-08", 0.01, false], ["2020-01-08", 0.25, true]]),
      truth("p2", [["2020-01-01", 0.001, false]]),
      truth("p3", [["2018-01-01", 0.5, false]]),
      truth("p9", [["2018-01-01", 0.5, false]]),
    ].join("\n") + "\n",
  );
}

describe("runFeatures with truth.ndjson", () => {
  it("writes eligible rows, labels and true risks, and counts the rest", async () => {
    const dir = tempDir();
    writeCohort(dir);
    const prefix = join(tempDir(), "out");
    const result = await runFeatures({ inDir: dir, outPrefix: prefix });
    expect(result.meta.labelSource).toBe("truth.ndjson");
    expect(result.meta.counts).toMatchObject({
      patients: 4,
      patientsNotInTruth: 1,
      truthPatientsWithoutRecords: 1,
      indexDates: 4,
      rows: 2,
      positives: 1,
      ineligibleRows: 2,
      ineligibleByReason: { under_min_age: 1, already_diagnosed: 1 },
    });
    expect(result.meta.shapes).toEqual({ sequence: [2, CHANNEL_COUNT, WEEKS], static: [2, STATIC_COUNT], labels: [2] });

    const rows = readFileSync(`${prefix}.rows.ndjson`, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.patientId, r.indexDate, r.label, r.trueRisk1y, r.sex, r.ageYears, r.bmiMissing])).toEqual([
      ["p1", "2019-01-08", 0, 0.01, "female", 68, true],
      ["p1", "2020-01-08", 1, 0.25, "female", 69, true],
    ]);
    expect(rows[0].warnings).toEqual(["no_bmi"]);

    // The tensors hold the shared builder's output at each row, read back by NumPy.
    const expected = buildFeatures(
      [patient("p1", { birthDate: "1950-03-01" }), condition("c1", "Patient/p1", "59621000", "2020-01-05")],
      "2020-01-08",
    );
    const script = `
import json, sys, numpy as np
p = sys.argv[1]
seq = np.load(p + ".sequence.npy", mmap_mode="r"); st = np.load(p + ".static.npy", mmap_mode="r")
lab = np.load(p + ".labels.npy", mmap_mode="r"); meta = json.load(open(p + ".meta.json"))
print(json.dumps({"seq": list(seq.shape), "static": list(st.shape), "labels": lab.tolist(), "dtype": str(seq.dtype),
  "htn": [float(x) for x in seq[1, ${HYPERTENSION}, -2:]], "htnEarlier": float(seq[0, ${HYPERTENSION}].sum()),
  "age": [float(x) for x in st[:, 0]], "metaShape": meta["shapes"]["sequence"]}))`;
    const out = JSON.parse(execFileSync("/usr/bin/python3", ["-c", script, prefix], { encoding: "utf8" }));
    expect(out).toEqual({
      seq: [2, CHANNEL_COUNT, WEEKS],
      static: [2, STATIC_COUNT],
      labels: [0, 1],
      dtype: "float32",
      htn: [0, Math.fround(3 / 7)],
      htnEarlier: 0,
      age: [Math.fround((68 - 50) / 20), expected.static[0]],
      metaShape: [2, CHANNEL_COUNT, WEEKS],
    });
  });

  it("leaves no output files when the input is bad", async () => {
    const dir = tempDir();
    writeCohort(dir);
    writeFileSync(join(dir, "truth.ndjson"), '{"patientId": "p1", "indexDates": [{"date": "2019-1-8"}]}\n', { flag: "a" });
    const outDir = tempDir();
    await expect(runFeatures({ inDir: dir, outPrefix: join(outDir, "out") })).rejects.toThrow(
      "truth.ndjson:5: indexDates[0].date must be YYYY-MM-DD",
    );
    expect(readdirSync(outDir)).toEqual([]);

    writeCohort(dir);
    writeNdjson(dir, "Observation.ndjson", [], ["{oops"]);
    await expect(runFeatures({ inDir: dir, outPrefix: join(outDir, "out") })).rejects.toThrow("Observation.ndjson:1: not valid JSON");
    expect(readdirSync(outDir)).toEqual([]);
  });
});

describe("runFeatures without truth.ndjson", () => {
  it("takes index dates and labels from the policy", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("a", { birthDate: "1960-01-01" })]);
    writeNdjson(dir, "Encounter.ndjson", [encounter("e1", "Patient/a", "2010-01-15"), encounter("e2", "Patient/a", "2016-06-30")]);
    writeNdjson(dir, "Condition.ndjson", [condition("k", "Patient/a", "239873007", "2015-03-01")]);
    const prefix = join(tempDir(), "policy");
    const result = await runFeatures({ inDir: dir, outPrefix: prefix, maxIndexDates: 2 });
    expect(result.meta.labelSource).toBe("index-date policy");
    const rows = readFileSync(`${prefix}.rows.ndjson`, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.indexDate, r.label, r.trueRisk1y])).toEqual([
      ["2014-01-15", 0, null],
      ["2015-01-15", 1, null],
    ]);
    expect(existsSync(`${prefix}.meta.json`)).toBe(true);
  });
});
