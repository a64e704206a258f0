import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFeatures } from "../../shared/features/build-features.ts";
import { readNdjsonLines } from "../../population/ndjson-lines.ts";
import { assemblePatientLines } from "../../population/ndjson-patient-lines.ts";
import { MERGE_JOIN_MAX_FILES, openPopulation } from "../../population/read-population.ts";
import { countingPolicy } from "../../population/skipped-lines.ts";
import type { PatientRecord, ReadPopulationOptions } from "../../population/types.ts";
import {
  bundle,
  condition,
  encounter,
  medication,
  medicationRequest,
  observation,
  patient,
  readAll,
  summarise,
  tempDir,
  writeNdjson,
} from "./fixtures.ts";

const CONDITIONS = [
  condition("c1", "Patient/p1", "44054006", "2015-03-01"),
  condition("c2", "Patient/p1", "59621000", "2016-03-01"),
  condition("c3", "Patient/p3", "239873007", "2018-01-01"),
];

/** Three patients; p2 has no Condition, p1 no Encounter; the files follow the Patient order. */
function writeOrderedPopulation(dir: string, conditions = CONDITIONS): void {
  writeNdjson(dir, "Patient.ndjson", [patient("p1"), patient("p2"), patient("p3")]);
  writeNdjson(dir, "Condition.ndjson", [
    ...conditions,
    { resourceType: "Condition", id: "orphan", code: { text: "no subject" } },
  ]);
  writeNdjson(dir, "Encounter.000.ndjson", [
    encounter("e1", "http://ehr.example/fhir/Patient/p2/_history/3", "2017-01-01"),
    encounter("e2", "Patient/p3", "2017-02-01"),
  ]);
  writeNdjson(dir, "MedicationRequest.ndjson", [
    medicationRequest("m1", "Patient/p1", "Medication/med1", "2016-05-01"),
    medicationRequest("m2", "Patient/p3", "Medication/med2", "2017-05-01"),
  ]);
  writeNdjson(dir, "Medication.ndjson", [medication("med1", "849574"), medication("med2", "313782"), medication("med3", "1")]);
  writeNdjson(dir, "Organization.ndjson", [{ resourceType: "Organization", id: "o1" }]);
  writeFileSync(join(dir, "log.ndjson"), JSON.stringify({ eventId: "kickoff" }) + "\n");
  writeFileSync(join(dir, "truth.ndjson"), JSON.stringify({ patientId: "p1", indexDates: [] }) + "\n");
}

/** A body weight: model input, so the readers keep it whatever test it serves. */
const BODY_WEIGHT = { coding: [{ system: "http://loinc.org", code: "29463-7" }] };

/** The base e1's absolute reference is on: only on it does that reference name p2. */
const EXPORTED_FROM = { fhirBaseUrl: "http://ehr.example/fhir/" };

const EXPECTED = {
  p1: ["Patient/p1", "Condition/c1", "Condition/c2", "MedicationRequest/m1", "Medication/med1"],
  p2: ["Patient/p2", "Encounter/e1"],
  p3: ["Patient/p3", "Condition/c3", "Encounter/e2", "MedicationRequest/m2", "Medication/med2"],
};

describe("openPopulation on NDJSON", () => {
  it("merge-joins files ordered by patient, in the Patient file's order", async () => {
    const dir = tempDir();
    writeOrderedPopulation(dir);
    const { records, stats } = await readAll(dir, EXPORTED_FROM);
    expect(stats.grouping).toBe("merge-join");
    expect(records.map((r) => r.patientId)).toEqual(["p1", "p2", "p3"]);
    expect(summarise(records)).toEqual(EXPECTED);
    expect(stats.patients).toBe(3);
    expect(stats.resourcesByType).toEqual({
      Patient: 3,
      Condition: 4,
      Encounter: 2,
      MedicationRequest: 2,
      Medication: 3,
      Organization: 1,
    });
    expect(stats.skipped).toEqual({ "no patient reference: Condition": 1 });
    expect(stats.shared).toEqual({ Medication: 3, Organization: 1 });
    expect(stats.ignoredFiles.map((f) => f.file)).toEqual(["log.ndjson"]);
  });

  it("spills unordered files to SQLite and yields the same records and counts", async () => {
    const ordered = await readAll(((d) => (writeOrderedPopulation(d), d))(tempDir()), EXPORTED_FROM);
    const dir = tempDir();
    writeOrderedPopulation(dir, [CONDITIONS[2]!, CONDITIONS[0]!, CONDITIONS[1]!]);
    const { records, stats } = await readAll(dir, EXPORTED_FROM);
    expect(stats.grouping).toBe("sqlite-spill");
    expect(summarise(records)).toEqual(EXPECTED);
    expect({ ...stats, grouping: "merge-join" }).toEqual(ordered.stats);
  });

  it("yields one record for a patient whose Patient line is repeated, as the spill does", async () => {
    const dir = tempDir();
    writeOrderedPopulation(dir);
    writeNdjson(dir, "Patient.ndjson", [patient("p1"), patient("p1"), patient("p2"), patient("p3")]);
    const { records, stats } = await readAll(dir, EXPORTED_FROM);
    expect(stats.grouping).toBe("merge-join");
    expect(records.map((r) => r.patientId)).toEqual(["p1", "p2", "p3"]);
    expect(summarise(records)).toEqual({ ...EXPECTED, p1: ["Patient/p1", ...EXPECTED.p1] });
  });

  it("drops and counts an absolute reference not on the base the files were exported from", async () => {
    const dir = tempDir();
    writeOrderedPopulation(dir);
    for (const options of [{}, { fhirBaseUrl: "http://other.example/fhir" }]) {
      const { records, stats } = await readAll(dir, options);
      expect(summarise(records)).toEqual({ ...EXPECTED, p2: ["Patient/p2"] });
      expect(stats.skipped).toEqual({
        "no patient reference: Condition": 1,
        "not provably this patient's: absolute reference not on the FHIR server's base": 1,
      });
    }
  });

  it("sets aside and counts Observations the model does not read, as the card's query never fetches them", async () => {
    // A glucose result two years before the only visit, and a body weight on the visit's day.
    const records = [
      patient("p1"),
      encounter("e1", "Patient/p1", "2019-01-01"),
      observation("lab", "Patient/p1", "2345-7", "2017-01-01", 5.4),
      observation("weight", "Patient/p1", "29463-7", "2019-01-01"),
    ];
    const ndjson = tempDir();
    writeNdjson(ndjson, "Patient.ndjson", [records[0]]);
    writeNdjson(ndjson, "Encounter.ndjson", [records[1]]);
    writeNdjson(ndjson, "Observation.ndjson", records.slice(2));
    const bundles = tempDir();
    writeFileSync(join(bundles, "p1.json"), JSON.stringify(bundle(records.map((resource) => ({ resource })))));
    for (const dir of [ndjson, bundles]) {
      const read = await readAll(dir);
      expect(summarise(read.records)).toEqual({ p1: ["Patient/p1", "Encounter/e1", "Observation/weight"] });
      expect(read.stats.skipped).toEqual({ "not model input: Observation other than BMI, weight or height": 1 });
      // History starts at the visit: 365 days before 2020-01-01, not the lab's 3 years (cap).
      const features = buildFeatures(read.records[0]!.resources, "2020-01-01");
      expect(features.demographics.historyYears).toBeCloseTo(365 / 365.25, 6);
    }
  });

  it("counts an Observation that is neither the patient's nor model input as not the patient's, whether read whole or line by line", async () => {
    // Two heart rates under p1: one theirs (not model input), one on another server's Patient/p1
    // (not provably theirs: the compartment rule comes first, as in the CDS service and the app).
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("p1")]);
    writeNdjson(dir, "Observation.ndjson", [
      observation("own", "Patient/p1", "8867-4", "2019-01-01", 62),
      observation("foreign", "http://other.example/fhir/Patient/p1", "8867-4", "2019-01-02", 64),
      observation("weight", "Patient/p1", "29463-7", "2019-01-03"),
    ]);
    const skipped = {
      "not model input: Observation other than BMI, weight or height": 1,
      "not provably this patient's: absolute reference not on the FHIR server's base": 1,
    };
    for (const read of [await readAll(dir, EXPORTED_FROM), await readGroups(dir, EXPORTED_FROM)]) {
      expect(summarise(read.records)).toEqual({ p1: ["Patient/p1", "Observation/weight"] });
      expect(read.stats.skipped).toEqual(skipped);
    }
  });

  it("counts the same through the spill: Observations not model input set aside, another server's not the patient's", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("p1"), patient("p2")]);
    // p2's line before p1's: not in the Patient file's order, so the lines go through the spill.
    writeNdjson(dir, "Observation.ndjson", [
      observation("hr2", "Patient/p2", "8867-4", "2019-01-01", 70),
      observation("own", "Patient/p1", "8867-4", "2019-01-01", 62),
      observation("foreign", "http://other.example/fhir/Patient/p1", "8867-4", "2019-01-02", 64),
      observation("weight", "Patient/p1", "29463-7", "2019-01-03"),
    ]);
    const read = await readAll(dir, EXPORTED_FROM);
    expect(read.stats.grouping).toBe("sqlite-spill");
    expect(summarise(read.records)).toEqual({ p1: ["Patient/p1", "Observation/weight"], p2: ["Patient/p2"] });
    expect(read.stats.skipped).toEqual({
      "not model input: Observation other than BMI, weight or height": 2,
      "not provably this patient's: absolute reference not on the FHIR server's base": 1,
    });
  });

  it("spills when a file has resources of a patient missing from the Patient file", async () => {
    const dir = tempDir();
    writeOrderedPopulation(dir);
    writeNdjson(dir, "Observation.ndjson", [{ resourceType: "Observation", id: "x", code: BODY_WEIGHT, subject: { reference: "Patient/p9" } }]);
    const { records, stats } = await readAll(dir);
    expect(stats.grouping).toBe("sqlite-spill");
    expect(summarise(records)["p9"]).toEqual(["Observation/x"]);
    expect(records).toHaveLength(4);
  });

  it("names the file and line of a line that is not JSON, and counts it with skipBadLines", async () => {
    const dir = tempDir();
    writeOrderedPopulation(dir);
    writeNdjson(dir, "Encounter.001.ndjson", [encounter("e9", "Patient/p3", "2019-01-01")], ["{not json"]);
    await expect(readAll(dir)).rejects.toThrow(/^Encounter\.001\.ndjson:2: not valid JSON/);
    const { records, stats } = await readAll(dir, { skipBadLines: true });
    expect(stats.skipped["line is not valid JSON"]).toBe(1);
    expect(stats.skippedLines).toEqual([{ where: "Encounter.001.ndjson:2", reason: "line is not valid JSON" }]);
    expect(summarise(records)["p3"]).toContain("Encounter/e9");
  });

  it("counts a JSON line without resourceType as not a FHIR resource", async () => {
    const dir = tempDir();
    writeOrderedPopulation(dir);
    writeNdjson(dir, "Encounter.001.ndjson", [encounter("e9", "Patient/p3", "2019-01-01")], ['{"id": "x"}']);
    await expect(readAll(dir)).rejects.toThrow("Encounter.001.ndjson:2: not a FHIR resource");
    const { stats } = await readAll(dir, { skipBadLines: true });
    expect(stats.skipped["line is not a FHIR resource"]).toBe(1);
  });

  it("keeps only the asked resource types, plus the Patient and referenced Medications", async () => {
    const dir = tempDir();
    writeOrderedPopulation(dir);
    const { records } = await readAll(dir, { resourceTypes: new Set(["MedicationRequest"]) });
    expect(summarise(records)["p1"]).toEqual(["Patient/p1", "MedicationRequest/m1", "Medication/med1"]);
    expect(summarise(records)["p2"]).toEqual(["Patient/p2"]);
  });

  it("removes the spill database when the reader is abandoned early", async () => {
    const dir = tempDir();
    writeOrderedPopulation(dir, [CONDITIONS[2]!, CONDITIONS[0]!, CONDITIONS[1]!]);
    const spillDir = join(tempDir(), "spill");
    mkdirSync(spillDir);
    const population = await openPopulation(dir, { tempDir: spillDir });
    for await (const record of population.patients()) {
      expect(record.patientId).toBe("p1");
      expect(readdirSync(spillDir)).toHaveLength(1);
      break;
    }
    expect(readdirSync(spillDir)).toEqual([]);
  });

  it("refuses a missing directory and one without FHIR files", async () => {
    const dir = tempDir();
    await expect(openPopulation(join(dir, "nope"))).rejects.toThrow(/nope: no such folder$/);
    writeFileSync(join(dir, "a-file"), "");
    await expect(openPopulation(join(dir, "a-file"))).rejects.toThrow(/a-file: not a directory$/);
    await expect(openPopulation(dir)).rejects.toThrow(/no FHIR NDJSON \(\*\.ndjson\) or Bundle \(\*\.json\) files/);
    expect(existsSync(dir)).toBe(true);
  });
});

/** The Medications in patient `id`'s record. */
const medicationsOf = (records: readonly PatientRecord[], id: string) =>
  records.find((r) => r.patientId === id)!.resources.filter((r) => r.resourceType === "Medication");

/** groups() as the population job reads it: lines groups assembled as its scoring threads do. */
async function readGroups(dir: string, options: ReadPopulationOptions = {}) {
  const population = await openPopulation(dir, options);
  const policy = countingPolicy(population.stats, options.skipBadLines === true);
  let beforeRestart: string[] = [];
  let records: PatientRecord[] = [];
  let restart: string | null = null;
  for await (const group of population.groups()) {
    if (group.kind === "restart") {
      restart = group.reason;
      beforeRestart = records.map((r) => r.patientId);
      records = [];
      continue;
    }
    records.push(group.kind === "record" ? group.record : assemblePatientLines(group.group, population.lineAssembly, population.stats, policy));
  }
  return { records, stats: population.stats, restart, beforeRestart };
}

describe("openPopulation on an export split into more files than the merge join keeps open", () => {
  it("groups them through the spill, one file at a time, to the same records and counts", async () => {
    const dir = tempDir();
    writeOrderedPopulation(dir);
    const joined = await readAll(dir, EXPORTED_FROM);
    // The same Encounters, one file each, and enough empty-of-patients files to pass the limit.
    writeNdjson(dir, "Encounter.000.ndjson", [encounter("e1", "http://ehr.example/fhir/Patient/p2/_history/3", "2017-01-01")]);
    writeNdjson(dir, "Encounter.001.ndjson", [encounter("e2", "Patient/p3", "2017-02-01")]);
    for (let i = 0; i < MERGE_JOIN_MAX_FILES; i++) writeNdjson(dir, `Organization.${String(i).padStart(3, "0")}.ndjson`, [{ resourceType: "Organization", id: `org${i}` }]);
    const split = await readAll(dir, EXPORTED_FROM);
    const grouped = await readGroups(dir, EXPORTED_FROM);
    expect(joined.stats.grouping).toBe("merge-join");
    for (const read of [split, grouped]) {
      expect(read.stats.grouping).toBe("sqlite-spill");
      expect(summarise(read.records)).toEqual(EXPECTED);
      expect(read.stats.shared["Organization"]).toBe(MERGE_JOIN_MAX_FILES + 1);
    }
    expect(grouped.restart).toBeNull();
  });
});

describe("openPopulation: a Patient whose id is outside FHIR's syntax", () => {
  it("is not scored without its records: it and what names it are counted as skipped, with their reasons", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("p1"), patient("pat_2")]);
    writeNdjson(dir, "Condition.ndjson", [condition("c1", "Patient/p1", "44054006", "2015-03-01"), condition("c2", "Patient/pat_2", "239873007", "2016-01-01")]);
    const { records, stats } = await readAll(dir);
    expect(records.map((r) => r.patientId)).toEqual(["p1"]);
    expect(stats.skipped).toEqual({ "Patient without a valid FHIR id": 1, "no patient reference: Condition": 1 });
  });
});

describe("openPopulation's groups(): the merge join without a dry run", () => {
  it("joins ordered files without a restart, with the records and counts of patients()", async () => {
    const dir = tempDir();
    writeOrderedPopulation(dir);
    const read = await readGroups(dir, EXPORTED_FROM);
    expect(read.restart).toBeNull();
    expect(read.stats.grouping).toBe("merge-join");
    expect(summarise(read.records)).toEqual(EXPECTED);
    expect(read.stats).toEqual((await readAll(dir, EXPORTED_FROM)).stats);
  });

  it("holds a joined patient's lines as places in the read chunks, making each line's object only as it is read (a patient with 400,000 heart rates held 400,000 objects)", async () => {
    const dir = tempDir();
    writeOrderedPopulation(dir);
    const population = await openPopulation(dir, EXPORTED_FROM);
    const groups = [];
    for await (const group of population.groups()) if (group.kind === "lines") groups.push(group.group);
    const p1 = groups.find((group) => group.patientId === "p1")!;
    const lines = (pass: number) => [...p1.lines].map(({ bytes, file, line }) => ({ text: Buffer.from(bytes).toString("utf8"), where: `${basename(file)}:${line}`, pass }));
    // Written by writeOrderedPopulation: the Patient file's first line, then the other files in name order.
    const expected = [
      { text: JSON.stringify(patient("p1")), where: "Patient.ndjson:1" },
      { text: JSON.stringify(CONDITIONS[0]), where: "Condition.ndjson:1" },
      { text: JSON.stringify(CONDITIONS[1]), where: "Condition.ndjson:2" },
      { text: JSON.stringify(medicationRequest("m1", "Patient/p1", "Medication/med1", "2016-05-01")), where: "MedicationRequest.ndjson:1" },
    ];
    expect(p1.lines.length).toBe(4);
    expect(lines(1)).toEqual(expected.map((line) => ({ ...line, pass: 1 })));
    // A new object each time: the group holds no object per line.
    const [first] = p1.lines;
    const [again] = p1.lines;
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
  });

  it("restarts from the spill when the disorder shows only at the end, then yields every patient, counted once", async () => {
    const ordered = await readAll(((d) => (writeOrderedPopulation(d), d))(tempDir()), EXPORTED_FROM);
    const dir = tempDir();
    // p1's Conditions after p3's: the join gives p1 none, and finds out only at the end.
    writeOrderedPopulation(dir, [CONDITIONS[2]!, CONDITIONS[0]!, CONDITIONS[1]!]);
    const read = await readGroups(dir, EXPORTED_FROM);
    expect(read.beforeRestart).toEqual(["p1", "p2", "p3"]);
    expect(read.restart).toMatch(/Condition\.ndjson has a line \(Condition\) of a patient out of order/);
    expect(read.stats.grouping).toBe("sqlite-spill");
    expect(summarise(read.records)).toEqual(EXPECTED);
    expect({ ...read.stats, grouping: "merge-join" }).toEqual(ordered.stats);
  });

  it("reads every Medication file before the patients, wherever its name sorts", async () => {
    const dir = tempDir();
    writeOrderedPopulation(dir);
    writeNdjson(dir, "Medication.ndjson", [medication("med1", "849574")]);
    writeNdjson(dir, "zz-more-medications.ndjson", [medication("med2", "313782"), medication("med3", "1")]);
    const read = await readGroups(dir, EXPORTED_FROM);
    expect(read.restart).toBeNull();
    expect(summarise(read.records)).toEqual(EXPECTED);
    expect(read.stats.shared).toEqual({ Medication: 3, Organization: 1 });
  });

  it("keeps the newer version of a Medication exported twice, whichever file comes first, however the files are read (the feature builder's version rule)", async () => {
    const older = { ...medication("med2", "1"), meta: { lastUpdated: "2020-01-01T00:00:00Z" } };
    const newer = { ...medication("med2", "313782"), meta: { lastUpdated: "2023-01-01T00:00:00Z" } };
    for (const [first, second] of [[older, newer], [newer, older]]) {
      for (const ordered of [true, false]) {
        const dir = tempDir();
        // Not ordered: p1's Conditions after p3's, so both ways of reading end in the spill.
        writeOrderedPopulation(dir, ordered ? CONDITIONS : [CONDITIONS[2]!, CONDITIONS[0]!, CONDITIONS[1]!]);
        writeNdjson(dir, "Medication.ndjson", [medication("med1", "849574"), first]);
        writeNdjson(dir, "Medication.001.ndjson", [second]);
        const viaPatients = await readAll(dir, EXPORTED_FROM);
        const viaGroups = await readGroups(dir, EXPORTED_FROM);
        expect(viaPatients.stats.grouping).toBe(ordered ? "merge-join" : "sqlite-spill");
        expect(viaGroups.stats.grouping).toBe(ordered ? "merge-join" : "sqlite-spill");
        for (const { records } of [viaPatients, viaGroups]) expect(medicationsOf(records, "p3")).toEqual([newer]);
      }
    }
  });

  it("restarts for a Medication met late only when the lookup would have kept it instead of its own version", async () => {
    const kept = { ...medication("med2", "313782"), meta: { lastUpdated: "2022-01-01T00:00:00Z" } };
    for (const [late, restarts] of [
      [{ ...medication("med2", "1"), meta: { lastUpdated: "2020-01-01T00:00:00Z" } }, false],
      [{ ...medication("med2", "1"), meta: { lastUpdated: "2024-01-01T00:00:00Z" } }, true],
    ] as const) {
      const dir = tempDir();
      writeOrderedPopulation(dir);
      writeNdjson(dir, "Medication.ndjson", [medication("med1", "849574"), kept]);
      // After more than a read chunk (1 MB) of p1's Encounters: met once p1 has been yielded.
      const many = Array.from({ length: 6000 }, (_, i) => encounter(`a${i}`, "Patient/p1", "2017-01-01"));
      writeNdjson(dir, "Encounter.000.ndjson", [...many, late, encounter("e2", "Patient/p3", "2017-02-01")]);
      const read = await readGroups(dir, EXPORTED_FROM);
      if (restarts) expect(read.restart).toMatch(/a Medication in Encounter\.000\.ndjson that/);
      else expect(read.restart).toBeNull();
      expect(medicationsOf(read.records, "p3")).toEqual([restarts ? late : kept]);
    }
  });

  it("restarts from the spill when a Medication the lookup lacks turns up in another file after patients were yielded", async () => {
    const dir = tempDir();
    writeOrderedPopulation(dir);
    writeNdjson(dir, "Medication.ndjson", [medication("med1", "849574"), medication("med3", "1")]);
    // med2 (p3's) only in a file of Encounters, after more than a read chunk (1 MB) of p1's and
    // p2's Encounters: met once p1 has been yielded.
    const many = (patientRef: string, prefix: string) => Array.from({ length: 6000 }, (_, i) => encounter(`${prefix}${i}`, patientRef, "2017-01-01"));
    writeNdjson(dir, "Encounter.000.ndjson", [
      ...many("Patient/p1", "a"),
      encounter("e1", "http://ehr.example/fhir/Patient/p2/_history/3", "2017-01-01"),
      ...many("Patient/p2", "b"),
      medication("med2", "313782"),
      encounter("e2", "Patient/p3", "2017-02-01"),
    ]);
    const read = await readGroups(dir, EXPORTED_FROM);
    expect(read.restart).toMatch(/a Medication in Encounter\.000\.ndjson that/);
    expect(read.beforeRestart).toEqual(["p1"]);
    expect(read.stats.grouping).toBe("sqlite-spill");
    const whole = await readAll(dir, EXPORTED_FROM);
    expect(read.records).toEqual(whole.records);
    expect(summarise(read.records)["p3"]).toEqual(EXPECTED.p3);
    // patients()'s dry run read the Medication before any patient, and found the order right.
    expect({ ...read.stats, grouping: "merge-join" }).toEqual(whole.stats);
  });
});

describe("openPopulation on NDJSON: bad lines are lines, whatever else is in the folder", () => {
  const NOT_FHIR_LOG = { file: "log.ndjson", reason: "no FHIR resource in its first 10 lines" };

  it("reads a file whose first line is not a resource, and reports that line instead of dropping the file", async () => {
    const dir = tempDir();
    writeOrderedPopulation(dir);
    const file = join(dir, "Condition.ndjson");
    writeFileSync(file, '{"resourceType":null}\n' + readFileSync(file, "utf8"));
    await expect(readAll(dir, EXPORTED_FROM)).rejects.toThrow(/^Condition\.ndjson:1: not a FHIR resource/);
    const { records, stats } = await readAll(dir, { ...EXPORTED_FROM, skipBadLines: true });
    expect(summarise(records)).toEqual(EXPECTED);
    expect(stats.resourcesByType.Condition).toBe(4);
    expect(stats.skipped).toEqual({ "no patient reference: Condition": 1, "line is not a FHIR resource": 1 });
    expect(stats.skippedLines).toEqual([{ where: "Condition.ndjson:1", reason: "line is not a FHIR resource" }]);
    expect(stats.ignoredFiles).toEqual([NOT_FHIR_LOG]);
  });

  it("reads files that start with a UTF-8 byte-order mark as if they had none, merge-joined or spilled", async () => {
    for (const conditions of [CONDITIONS, [CONDITIONS[2]!, CONDITIONS[0]!, CONDITIONS[1]!]]) {
      const dir = tempDir();
      writeOrderedPopulation(dir, conditions);
      const withoutMark = await readAll(dir, EXPORTED_FROM);
      for (const name of ["Patient.ndjson", "Condition.ndjson"]) writeFileSync(join(dir, name), "\uFEFF" + readFileSync(join(dir, name), "utf8"));
      const { records, stats } = await readAll(dir, EXPORTED_FROM);
      expect(stats.grouping).toBe(conditions === CONDITIONS ? "merge-join" : "sqlite-spill");
      expect(summarise(records)).toEqual(EXPECTED);
      expect(stats).toEqual(withoutMark.stats);
    }
  });

  it("lists the Bundle .json files of a folder read as NDJSON as files not read", async () => {
    const dir = tempDir();
    writeOrderedPopulation(dir);
    writeFileSync(join(dir, "p9.json"), JSON.stringify(bundle([{ resource: patient("p9") }])));
    const { records, stats } = await readAll(dir, EXPORTED_FROM);
    expect(summarise(records)).toEqual(EXPECTED);
    // `printf %s p9.json | sha256sum`: a Bundle file's name may hold a patient's name.
    expect(stats.ignoredFiles).toEqual([
      NOT_FHIR_LOG,
      { file: "Bundle file whose name's SHA-256 begins 971385b0127b", reason: "the folder is read as NDJSON (it has .ndjson files)" },
    ]);
  });
});

describe("openPopulation on NDJSON: a line over 64 MiB", () => {
  const OVER_LIMIT = 64 * 1024 * 1024 + 1;

  /** Observation.ndjson: o1 (p1), a line of OVER_LIMIT bytes, o3 (p3). The long line is a hole of
   * NUL bytes: instant to write, and no reader looks inside a line over the limit. */
  function writeObservations(dir: string): void {
    const file = join(dir, "Observation.ndjson");
    const observation = (id: string, patientRef: string) => JSON.stringify({ resourceType: "Observation", id, code: BODY_WEIGHT, subject: { reference: patientRef } });
    const head = `${observation("o1", "Patient/p1")}\n`;
    writeFileSync(file, head);
    const fd = openSync(file, "r+");
    writeSync(fd, `\n${observation("o3", "Patient/p3")}\n`, Buffer.byteLength(head) + OVER_LIMIT);
    closeSync(fd);
  }

  const SKIPPED = { "no patient reference: Condition": 1, "line longer than 64 MiB": 1 };
  const LISTED = [{ where: "Observation.ndjson:2", reason: "line longer than 64 MiB" }];
  const WITH_OBSERVATIONS = { ...EXPECTED, p1: [...EXPECTED.p1, "Observation/o1"], p3: [...EXPECTED.p3, "Observation/o3"] };
  const sorted = (records: PatientRecord[]) => Object.fromEntries(Object.entries(summarise(records)).map(([id, list]) => [id, list.sort()]));
  const sortedExpected = Object.fromEntries(Object.entries(WITH_OBSERVATIONS).map(([id, list]) => [id, [...list].sort()]));

  it("stops the read with an error naming file:line, or with skipBadLines counts it and reads on (merge join)", async () => {
    const dir = tempDir();
    writeOrderedPopulation(dir);
    writeObservations(dir);
    await expect(readAll(dir, EXPORTED_FROM)).rejects.toThrow(/^Observation\.ndjson:2: line longer than 64 MiB; use --skip-bad-lines/);
    const read = await readGroups(dir, { ...EXPORTED_FROM, skipBadLines: true });
    expect(read.restart).toBeNull();
    expect(sorted(read.records)).toEqual(sortedExpected);
    expect(read.stats.skipped).toEqual(SKIPPED);
    expect(read.stats.skippedLines).toEqual(LISTED);
  });

  it("is counted once when the files turn out unordered and the read restarts from the spill", async () => {
    const dir = tempDir();
    writeOrderedPopulation(dir, [CONDITIONS[2]!, CONDITIONS[0]!, CONDITIONS[1]!]);
    writeObservations(dir);
    const read = await readGroups(dir, { ...EXPORTED_FROM, skipBadLines: true });
    expect(read.restart).not.toBeNull();
    expect(read.stats.grouping).toBe("sqlite-spill");
    expect(sorted(read.records)).toEqual(sortedExpected);
    expect(read.stats.skipped).toEqual(SKIPPED);
    expect(read.stats.skippedLines).toEqual(LISTED);
  });

  it("counts as a line for readNdjsonLines (the patient estimate), whose text is an error naming file:line (the truth file)", async () => {
    const dir = tempDir();
    writeObservations(dir);
    const lines: (number | string)[] = [];
    for await (const item of readNdjsonLines(join(dir, "Observation.ndjson"))) {
      lines.push(item.line);
      try {
        expect(item.text).toMatch(/^\{"resourceType":"Observation"/);
      } catch (error) {
        lines.push((error as Error).message);
      }
    }
    expect(lines).toEqual([1, 2, "Observation.ndjson:2: line longer than 64 MiB", 3]);
  });
});
