import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFeatures } from "../../shared/features/build-features.ts";
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
    expect(stats.skipped["file is not valid JSON"]).toBe(1);
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
