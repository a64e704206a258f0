import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFeatures } from "../../shared/features/build-features.ts";
import { entryLabel } from "../../population/input-file-label.ts";
import { MAX_BUNDLE_FILE_BYTES, unreadableReason } from "../../population/bundle-file.ts";
import { readBundleDirectory } from "../../population/bundle-reader.ts";
import { emptyStats, type PatientRecord, type ReadPopulationOptions } from "../../population/types.ts";
import { bundle, condition, encounter, medication, medicationRequest, patient, readAll, summarise, tempDir } from "./fixtures.ts";

const UUID_A = "6c5d9ca9-54d7-42f5-bfae-a7c19cd217f2";
const UUID_B = "58c297c4-d684-4677-8024-01131d93835e";

function writeJson(dir: string, name: string, value: unknown): void {
  writeFileSync(join(dir, name), typeof value === "string" ? value : JSON.stringify(value));
}

/** Synthea-like: per-patient transaction Bundles with urn:uuid references, plus shared Bundles
 * whose names sort after the patients' (the reader must still read them first). */
function writeSyntheaLike(dir: string): void {
  writeJson(
    dir,
    "Abram_A.json",
    bundle([
      { fullUrl: `urn:uuid:${UUID_A}`, resource: patient(UUID_A) },
      { fullUrl: "urn:uuid:org-1", resource: { resourceType: "Organization", id: "org-1" } as never },
      { fullUrl: "urn:uuid:enc-1", resource: encounter("enc-1", `urn:uuid:${UUID_A}`, "2015-01-01") },
      { fullUrl: "urn:uuid:cond-1", resource: condition("cond-1", `urn:uuid:${UUID_A}`, "239873007", "2016-01-01") },
      { fullUrl: "urn:uuid:mr-1", resource: medicationRequest("mr-1", `urn:uuid:${UUID_A}`, "urn:uuid:local-med", "2015-02-01") },
      { fullUrl: "urn:uuid:local-med", resource: medication("local-med", "849574") },
    ]),
  );
  writeJson(
    dir,
    "Aleta_B.json",
    bundle([
      { fullUrl: `urn:uuid:${UUID_B}`, resource: patient(UUID_B, { gender: "male" }) },
      { fullUrl: "urn:uuid:mr-2", resource: medicationRequest("mr-2", `urn:uuid:${UUID_B}`, "Medication/shared-med", "2015-02-01") },
      { fullUrl: "urn:uuid:mr-3", resource: medicationRequest("mr-3", `urn:uuid:${UUID_B}`, "urn:uuid:local-med", "2015-03-01") },
    ]),
  );
  writeJson(dir, "practitionerInformation1.json", bundle([{ resource: { resourceType: "Practitioner", id: "dr" } as never }]));
  writeJson(dir, "zz_hospitalInformation1.json", bundle([{ resource: medication("shared-med", "313782") }]));
  writeJson(dir, "groupInformation1.json", { resourceType: "Group", id: "g", type: "person", actual: true });
}


describe("openPopulation on Bundle files", () => {
  it("groups each Bundle by patient, resolving urn:uuid and shared Medications", async () => {
    const dir = tempDir();
    writeSyntheaLike(dir);
    const { records, stats } = await readAll(dir);
    expect(stats.format).toBe("bundle");
    expect(summarise(records)).toEqual({
      [UUID_B]: [`Patient/${UUID_B}`, "MedicationRequest/mr-2", "MedicationRequest/mr-3", "Medication/shared-med"],
      [UUID_A]: [`Patient/${UUID_A}`, "Encounter/enc-1", "Condition/cond-1", "MedicationRequest/mr-1", "Medication/local-med"],
    });
    // Aleta's urn:uuid:local-med is Abram's Bundle-local Medication: not visible to her.
    expect(stats.shared).toEqual({ Organization: 1, Medication: 2, Practitioner: 1, Group: 1 });
    expect(stats.resourcesByType["MedicationRequest"]).toBe(3);
    expect(stats.patients).toBe(2);
  });

  it("keeps the newer version of a Medication a Bundle holds twice, whichever entry comes first (the feature builder's version rule)", async () => {
    const older = { ...medication("m1", "1"), meta: { lastUpdated: "2020-01-01T00:00:00Z" } };
    const newer = { ...medication("m1", "313782"), meta: { lastUpdated: "2023-01-01T00:00:00Z" } };
    for (const [first, second] of [[older, newer], [newer, older]] as const) {
      const dir = tempDir();
      writeJson(
        dir,
        "one.json",
        bundle([
          { fullUrl: `urn:uuid:${UUID_A}`, resource: patient(UUID_A) },
          { fullUrl: "urn:uuid:mr-1", resource: medicationRequest("mr-1", `urn:uuid:${UUID_A}`, "urn:uuid:m1", "2019-06-01") },
          { fullUrl: "urn:uuid:m1", resource: first },
          { fullUrl: "urn:uuid:m1", resource: second },
        ]),
      );
      const { records } = await readAll(dir);
      expect(records[0]!.resources.filter((r) => r.resourceType === "Medication")).toEqual([newer]);
    }
  });

  it("reads .json in any case, and lists every other entry of the folder as not read, by a label", async () => {
    const dir = tempDir();
    writeJson(dir, "p1.json", bundle([{ resource: patient("p1") }, { resource: encounter("e1", "Patient/p1", "2018-01-01") }]));
    writeJson(dir, "P2.JSON", bundle([{ resource: patient("p2") }]));
    writeFileSync(join(dir, "notes.txt"), "x");
    writeFileSync(join(dir, "Condition.ndjson.gz"), "");
    mkdirSync(join(dir, "Jane_Doe"));
    const { records, stats } = await readAll(dir);
    expect(summarise(records)).toEqual({ p1: ["Patient/p1", "Encounter/e1"], p2: ["Patient/p2"] });
    // printf %s NAME | sha256sum
    expect(stats.ignoredFiles).toEqual([
      { file: "Condition.ndjson.gz", reason: "compressed (.gz): not read; decompress it first" },
      { file: "folder whose name's SHA-256 begins 38abacb26310", reason: "a folder: not read (files in subfolders are not read)" },
      { file: "file whose name's SHA-256 begins e39538e7f27a", reason: "not a .json file" },
    ]);
  });

  it("maps urn:uuid references to the Patient's id when the fullUrl differs from it", async () => {
    const dir = tempDir();
    writeJson(
      dir,
      "one.json",
      bundle([
        { fullUrl: "urn:uuid:aaaa-1111", resource: patient("local-id") },
        { resource: encounter("e", "urn:uuid:aaaa-1111", "2019-01-01") },
      ]),
    );
    const { records } = await readAll(dir);
    expect(summarise(records)).toEqual({ "local-id": ["Patient/local-id", "Encounter/e"] });
  });

  it("gives resources without an id the uuid of their urn:uuid fullUrl (transaction Bundles that POST)", async () => {
    const dir = tempDir();
    const { id: _p, ...idlessPatient } = patient("unused") as { id?: string };
    const { id: _m, ...idlessMedication } = medication("unused", "849574") as { id?: string };
    const { id: _r, ...idlessRequest } = medicationRequest("unused", "urn:uuid:u-p", "urn:uuid:u-m", "2019-06-01") as { id?: string };
    writeJson(
      dir,
      "post.json",
      bundle([
        { fullUrl: "urn:uuid:u-p", resource: idlessPatient as never },
        { fullUrl: "urn:uuid:u-r", resource: idlessRequest as never },
        { fullUrl: "urn:uuid:u-m", resource: idlessMedication as never },
      ]),
    );
    const { records, stats } = await readAll(dir);
    expect(stats.skipped).toEqual({});
    expect(summarise(records)).toEqual({ "u-p": ["Patient/u-p", "MedicationRequest/u-r", "Medication/u-m"] });
    const features = buildFeatures(records[0]!.resources, "2020-01-01");
    expect(features.eligibility.reasons).toEqual([]);
    expect(features.quality.skipped).toEqual({});
    expect(features.quality.resourcesUsed).toBe(2);
  });

  it("names a Bundle file that is not JSON, and counts it with skipBadLines", async () => {
    const dir = tempDir();
    writeSyntheaLike(dir);
    writeJson(dir, "broken.json", '{"resourceType": "Bundle", "entry": [');
    await expect(readAll(dir)).rejects.toThrow(/^broken\.json: not valid JSON/);
    const { records, stats } = await readAll(dir, { skipBadLines: true });
    expect(records).toHaveLength(2);
    // One form for every Bundle file not read, as for an entry that is not an array (below).
    expect(stats.skipped).toEqual({ "Bundle file not read: not valid JSON": 1 });
    // Counted and stored without the file's name, which may hold a patient's name: the start of
    // the name's SHA-256 (`printf %s broken.json | sha256sum`) finds it in the folder.
    expect(stats.ignoredFiles).toEqual([{ file: "Bundle file whose name's SHA-256 begins e9444d05ac26", reason: "not valid JSON" }]);
  });

  it("does not quote a bad Bundle file's text in its error (it may hold a name)", async () => {
    const dir = tempDir();
    writeSyntheaLike(dir);
    writeJson(dir, "broken.json", '{"resourceType": "Patient", "name": [{"family": Doe}]}');
    const error = await readAll(dir).then(() => null, (e: Error) => e);
    expect(error?.message).toMatch(/^broken\.json: not valid JSON \(Unexpected token 'D'\); use --skip-bad-lines/);
    expect(error?.message).not.toContain("family");
  });

  it("counts entries without a resource and patient-scoped resources without a patient", async () => {
    const dir = tempDir();
    writeJson(
      dir,
      "p.json",
      bundle([
        { resource: patient("p") },
        { request: { method: "DELETE", url: "Patient/x" } } as never,
        { resource: { resourceType: "Observation", id: "o", status: "final", code: {} } as never },
      ]),
    );
    const { records, stats } = await readAll(dir);
    expect(summarise(records)).toEqual({ p: ["Patient/p"] });
    expect(stats.skipped).toEqual({ "Bundle entry without a FHIR resource": 1, "no patient reference: Observation": 1 });
  });

  it("keeps urn:uuid references only to the Bundle's own Patient entry and drops absolute ones on other servers", async () => {
    const dir = tempDir();
    writeJson(
      dir,
      "p.json",
      bundle([
        { fullUrl: `urn:uuid:${UUID_A}`, resource: patient("p") },
        { resource: condition("own-urn", `urn:uuid:${UUID_A}`, "239873007", "2016-01-01") },
        { resource: condition("own-relative", "Patient/p", "44054006", "2016-01-01") },
        { resource: condition("elsewhere", "https://other.example/fhir/Patient/p", "239873007", "2015-01-01") },
      ]),
    );
    const { records, stats } = await readAll(dir);
    expect(summarise(records)).toEqual({ p: ["Patient/p", "Condition/own-urn", "Condition/own-relative"] });
    expect(stats.skipped).toEqual({ "not provably this patient's: absolute reference not on the FHIR server's base": 1 });
  });

  it("counts a patient's resources in a Bundle file without a Patient as skipped, not as the patient's", async () => {
    const dir = tempDir();
    writeSyntheaLike(dir);
    // The reviewer's zz-extra.json: a collection Bundle with a knee OA Condition (and an
    // Encounter) of Abram, whose Patient is in Abram_A.json.
    writeJson(dir, "zz-extra.json", {
      resourceType: "Bundle",
      type: "collection",
      entry: [
        { resource: condition("stray-knee-oa", `Patient/${UUID_A}`, "239873007", "2010-01-01") },
        { resource: encounter("stray-visit", `Patient/${UUID_A}`, "2010-01-01") },
      ],
    });
    const { records, stats } = await readAll(dir);
    // Abram's record is his own Bundle's only, as without zz-extra.json.
    expect(summarise(records)).toEqual({
      [UUID_B]: [`Patient/${UUID_B}`, "MedicationRequest/mr-2", "MedicationRequest/mr-3", "Medication/shared-med"],
      [UUID_A]: [`Patient/${UUID_A}`, "Encounter/enc-1", "Condition/cond-1", "MedicationRequest/mr-1", "Medication/local-med"],
    });
    expect(stats.skipped).toEqual({ "in a Bundle file without its Patient": 2 });
    // Read (cond-1 and the stray one), so counted by type too.
    expect(stats.resourcesByType["Condition"]).toBe(2);
    // A type the caller did not ask for is not skipped data: only the Condition counts.
    const conditionsOnly = await readAll(dir, { resourceTypes: new Set(["Condition"]) });
    expect(conditionsOnly.stats.skipped).toEqual({ "in a Bundle file without its Patient": 1 });
  });

  it("reads a patient only from the file that holds their Patient and counts their resources elsewhere as skipped", async () => {
    const dir = tempDir();
    // a.json sorts first and holds, by mistake, a Condition of b's patient and an Encounter of a
    // patient whose Patient is in no file.
    writeJson(
      dir,
      "a.json",
      bundle([
        { resource: patient("pa") },
        { resource: encounter("a-visit", "Patient/pa", "2015-01-01") },
        { resource: condition("b-knee-oa", "Patient/pb", "239873007", "2014-01-01") },
        { resource: encounter("ghost-visit", "Patient/ghost", "2015-01-01") },
      ]),
    );
    writeJson(dir, "b.json", bundle([{ resource: patient("pb") }, { resource: encounter("b-visit", "Patient/pb", "2016-01-01") }]));
    const { records, stats } = await readAll(dir);
    expect(records.map((r) => r.patientId)).toEqual(["pa", "pb"]);
    expect(summarise(records)).toEqual({ pa: ["Patient/pa", "Encounter/a-visit"], pb: ["Patient/pb", "Encounter/b-visit"] });
    expect(stats.skipped).toEqual({ "in a Bundle file without its Patient": 2 });
    expect(stats.patients).toBe(2);
  });

  it("stops at a Patient already read from an earlier file, naming both files and not the patient, and skips it with skipBadLines", async () => {
    const dir = tempDir();
    writeJson(dir, "first.json", bundle([{ resource: patient("dup-id") }, { resource: encounter("e1", "Patient/dup-id", "2015-01-01") }]));
    writeJson(dir, "other.json", bundle([{ resource: patient("pc") }]));
    writeJson(
      dir,
      "second.json",
      bundle([
        { resource: patient("dup-id") },
        { resource: condition("c2", "Patient/dup-id", "239873007", "2016-01-01") },
        { resource: encounter("e2", "Patient/dup-id", "2016-01-01") },
        { resource: patient("pd") },
      ]),
    );
    const error = await readAll(dir).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.name).toBe("PopulationInputError");
    expect(error?.message).toMatch(/^second\.json: holds a Patient already read from first\.json: a patient's resources must be in one Bundle file/);
    expect(error?.message).not.toContain("dup-id");

    const { records, stats } = await readAll(dir, { skipBadLines: true });
    // first.json's record only; second.json's other patient is read as usual.
    expect(summarise(records)).toEqual({ "dup-id": ["Patient/dup-id", "Encounter/e1"], pc: ["Patient/pc"], pd: ["Patient/pd"] });
    expect(records.map((r) => r.patientId)).toEqual(["dup-id", "pc", "pd"]);
    expect(stats.skipped).toEqual({ "patient already read from an earlier Bundle file": 3 });
    expect(stats.patients).toBe(3);
  });
});

/** A read with skipBadLines that also collects what onBadFile was told. */
async function readSkipping(dir: string, options: ReadPopulationOptions = {}) {
  const badFiles: string[] = [];
  const read = await readAll(dir, { skipBadLines: true, onBadFile: (label, reason) => badFiles.push(`${label}: ${reason}`), ...options });
  return { ...read, badFiles };
}

const p1Bundle = () => bundle([{ resource: patient("p1") }, { resource: encounter("e1", "Patient/p1", "2018-01-01") }]);

describe("Bundle files the reader cannot use as they are", () => {
  it("reads a Bundle file that starts with a UTF-8 byte order mark, as the NDJSON reader does", async () => {
    const dir = tempDir();
    // writeFileSync writes U+FEFF as its UTF-8 bytes EF BB BF, as Windows tools do.
    writeFileSync(join(dir, "p1.json"), `\uFEFF${JSON.stringify(p1Bundle())}`);
    writeFileSync(join(dir, "shared.json"), `\uFEFF${JSON.stringify(bundle([{ resource: medication("m", "197604") }]))}`);
    const { records, stats } = await readAll(dir);
    expect(summarise(records)).toEqual({ p1: ["Patient/p1", "Encounter/e1"] });
    expect(stats.shared).toEqual({ Medication: 1 });
    expect(stats.ignoredFiles).toEqual([]);
    expect(stats.skipped).toEqual({});
  });

  it("stops at a Bundle whose entry is not an array, naming the file, and with skipBadLines counts it as a file not read, by its label", async () => {
    const dir = tempDir();
    writeJson(dir, "p1.json", p1Bundle());
    // entry an object: the Patient (and so the file's patient) was lost without a word.
    writeJson(dir, "Jane_Doe_entry.json", { resourceType: "Bundle", type: "collection", entry: { resource: patient("jane") } });
    // No entry at all is an empty Bundle (a search that found nothing), not a bad file.
    writeJson(dir, "empty.json", { resourceType: "Bundle", type: "searchset", total: 0 });
    await expect(readAll(dir)).rejects.toThrow(/^Jane_Doe_entry\.json: Bundle entry is not an array; use --skip-bad-lines to count and skip such files$/);
    const { records, stats, badFiles } = await readSkipping(dir);
    expect(summarise(records)).toEqual({ p1: ["Patient/p1", "Encounter/e1"] });
    // printf %s Jane_Doe_entry.json | sha256sum: 85443ce9f74e...
    expect(badFiles).toEqual(["Bundle file whose name's SHA-256 begins 85443ce9f74e: Bundle entry is not an array"]);
    expect(stats.ignoredFiles).toEqual([{ file: "Bundle file whose name's SHA-256 begins 85443ce9f74e", reason: "Bundle entry is not an array" }]);
    expect(stats.skipped).toEqual({ "Bundle file not read: Bundle entry is not an array": 1 });
    expect(stats.resourcesByType).toEqual({ Patient: 1, Encounter: 1 });
  });

  it("reads the entries of Bundles inside a Bundle (a batch-response of searches) as the file's own", async () => {
    const dir = tempDir();
    const searchset = (entries: unknown[]) => ({ resourceType: "Bundle", type: "searchset", total: entries.length, entry: entries });
    writeJson(dir, "batch.json", {
      resourceType: "Bundle",
      type: "batch-response",
      entry: [
        { resource: searchset([{ resource: patient("pa"), search: { mode: "match" } }]), response: { status: "200 OK" } },
        {
          resource: searchset([
            { resource: condition("c1", "Patient/pa", "239873007", "2016-01-01"), search: { mode: "match" } },
            // A level deeper still.
            { resource: { resourceType: "Bundle", type: "collection", entry: [{ resource: encounter("e1", "Patient/pa", "2015-01-01") }] } },
          ]),
          response: { status: "200 OK" },
        },
        { resource: patient("pb") },
        { resource: { resourceType: "Bundle", type: "searchset", total: 0 }, response: { status: "200 OK" } },
      ],
    });
    const { records, stats } = await readAll(dir);
    expect(summarise(records)).toEqual({ pa: ["Patient/pa", "Condition/c1", "Encounter/e1"], pb: ["Patient/pb"] });
    expect(stats.resourcesByType).toEqual({ Patient: 2, Condition: 1, Encounter: 1 });
    expect(stats.shared).toEqual({});
    expect(stats.skipped).toEqual({});
  });

  it("does not read a file one of whose inner Bundles has an entry that is not an array (its patients would be scored without part of their records)", async () => {
    const dir = tempDir();
    writeJson(dir, "p1.json", p1Bundle());
    writeJson(dir, "Jane_Doe_entry.json", {
      resourceType: "Bundle",
      type: "batch-response",
      entry: [
        { resource: { resourceType: "Bundle", type: "searchset", entry: [{ resource: patient("jane") }] } },
        { resource: { resourceType: "Bundle", type: "searchset", entry: { resource: condition("c", "Patient/jane", "239873007", "2016-01-01") } } },
      ],
    });
    await expect(readAll(dir)).rejects.toThrow(/^Jane_Doe_entry\.json: Bundle entry is not an array; use --skip-bad-lines/);
    const { records, stats, badFiles } = await readSkipping(dir);
    expect(summarise(records)).toEqual({ p1: ["Patient/p1", "Encounter/e1"] });
    expect(badFiles).toEqual([`${entryLabel("Jane_Doe_entry.json")}: Bundle entry is not an array`]);
    expect(stats.skipped).toEqual({ "Bundle file not read: Bundle entry is not an array": 1 });
    expect(stats.resourcesByType).toEqual({ Patient: 1, Encounter: 1 });
  });

  it("stops at a name it cannot read (a broken symbolic link, a folder, a FIFO), naming it with a fixed reason; with skipBadLines skips each by its label and reads the rest", async () => {
    const dir = tempDir();
    writeJson(dir, "p1.json", p1Bundle());
    symlinkSync(join(dir, "moved-away.json.bak"), join(dir, "Jane_Doe_4f1c2b9e.json"));
    mkdirSync(join(dir, "Jane_Doe_folder.json"));
    // A FIFO opened for reading waits for a writer: the reader must not hang on one.
    execFileSync("mkfifo", [join(dir, "Jane_Doe_fifo.json")]);
    const error = await readAll(dir).then(() => null, (e: Error) => e);
    expect(error?.name).toBe("PopulationInputError");
    // The first name in order; the reason is the reader's own, not the system's message with the path.
    expect(error?.message).toBe("Jane_Doe_4f1c2b9e.json: no such file (a broken symbolic link?); use --skip-bad-lines to count and skip such files");

    const { records, stats, badFiles } = await readSkipping(dir);
    expect(summarise(records)).toEqual({ p1: ["Patient/p1", "Encounter/e1"] });
    // printf %s NAME | sha256sum
    expect(stats.ignoredFiles).toEqual([
      { file: "Bundle file whose name's SHA-256 begins 1050e64e3ab7", reason: "no such file (a broken symbolic link?)" },
      { file: "Bundle file whose name's SHA-256 begins 188985b3910c", reason: "not a regular file" },
      { file: "Bundle file whose name's SHA-256 begins 44b5c4123f6c", reason: "a folder, not a file" },
    ]);
    expect(badFiles).toEqual(stats.ignoredFiles.map((f) => `${f.file}: ${f.reason}`));
    expect(stats.skipped).toEqual({
      "Bundle file not read: no such file (a broken symbolic link?)": 1,
      "Bundle file not read: not a regular file": 1,
      "Bundle file not read: a folder, not a file": 1,
    });
    expect(JSON.stringify(stats)).not.toMatch(/Jane|Doe/);
  });

  it("says why a file could not be opened by its error code alone, never by the system's message (it holds the path)", () => {
    const withCode = (code: string) => Object.assign(new Error(`${code}: /data/Jane_Doe_x.json`), { code });
    expect(unreadableReason(withCode("EACCES"))).toBe("permission denied");
    expect(unreadableReason(withCode("EPERM"))).toBe("permission denied");
    expect(unreadableReason(withCode("ENOENT"))).toBe("no such file (a broken symbolic link?)");
    expect(unreadableReason(withCode("EISDIR"))).toBe("a folder, not a file");
    expect(unreadableReason(withCode("EIO"))).toBe("could not be read (EIO)");
    expect(unreadableReason(new Error("Jane Doe"))).toBe("could not be read");
  });

  it("skips a file larger than its limit without reading it, and reads one of exactly the limit", async () => {
    const dir = tempDir();
    const text = JSON.stringify(p1Bundle());
    writeFileSync(join(dir, "p1.json"), text);
    // Valid JSON one byte over the limit: read, it would give a patient.
    writeFileSync(join(dir, "Jane_Doe_big.json"), JSON.stringify(bundle([{ resource: patient("jane") }])).padEnd(text.length + 1));
    const stats = emptyStats("bundle");
    const badFiles: string[] = [];
    const records: PatientRecord[] = [];
    const options = { skipBadLines: true, onBadFile: (label: string, reason: string) => badFiles.push(`${label}: ${reason}`) };
    for await (const record of readBundleDirectory(dir, stats, options, text.length)) records.push(record);
    expect(summarise(records)).toEqual({ p1: ["Patient/p1", "Encounter/e1"] });
    const reason = `larger than ${text.length} bytes`;
    expect(badFiles).toEqual([`${entryLabel("Jane_Doe_big.json")}: ${reason}`]);
    expect(stats.skipped).toEqual({ [`Bundle file not read: ${reason}`]: 1 });
    expect(stats.resourcesByType).toEqual({ Patient: 1, Encounter: 1 });
  });

  it("skips a file over MAX_BUNDLE_FILE_BYTES (256 MiB) by its size alone: a sparse file, no disk used and nothing read", async () => {
    // V8's longest string is about 512 MiB: a larger file failed the run with "Invalid string length".
    const dir = tempDir();
    writeJson(dir, "p1.json", p1Bundle());
    const huge = join(dir, "Jane_Doe_huge.json");
    writeFileSync(huge, "");
    truncateSync(huge, 256 * 1024 * 1024 + 1);
    const { records, stats, badFiles } = await readSkipping(dir);
    expect(summarise(records)).toEqual({ p1: ["Patient/p1", "Encounter/e1"] });
    expect(badFiles).toEqual([`${entryLabel("Jane_Doe_huge.json")}: larger than 256 MiB`]);
    expect(stats.skipped).toEqual({ "Bundle file not read: larger than 256 MiB": 1 });
    expect(MAX_BUNDLE_FILE_BYTES).toBe(256 * 1024 * 1024);
  });
});
