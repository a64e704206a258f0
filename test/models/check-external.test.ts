import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Resource } from "fhir/r4";
import { checkExternal, formatExternalCheck } from "../../models/features/external-check.ts";
import { bundle, condition, encounter, medication, medicationRequest, patient, tempDir } from "../population/fixtures.ts";

const TSX = join(import.meta.dirname, "../../node_modules/.bin/tsx");
const CLI = join(import.meta.dirname, "../../models/check-external.ts");

const withDisplay = (resource: Resource, display: string): Resource => {
  const copy = structuredClone(resource) as unknown as { code: { coding: { display?: string }[] } };
  copy.code.coding[0]!.display = display;
  return copy as unknown as Resource;
};

/** Bundles: an adult with 7 years of history, a child, an adult whose only record is a
 * Condition (short history: the last record date is the index date), and a shared Medication. */
function writeDataset(dir: string): void {
  const adult = (id: string) => [
    { fullUrl: `urn:uuid:${id}`, resource: patient(id, { birthDate: "1950-01-01" }) },
    { resource: encounter(`${id}-e1`, `urn:uuid:${id}`, "2010-01-15") },
    { resource: encounter(`${id}-e2`, `urn:uuid:${id}`, "2017-06-30") },
    { resource: withDisplay(condition(`${id}-c1`, `urn:uuid:${id}`, "72892002", "2015-05-05"), "Normal pregnancy") },
    { resource: withDisplay(condition(`${id}-c2`, `urn:uuid:${id}`, "44054006", "2015-05-05"), "Diabetes") },
    { resource: medicationRequest(`${id}-m1`, `urn:uuid:${id}`, "Medication/digoxin", "2016-01-01") },
  ];
  writeFileSync(join(dir, "a.json"), JSON.stringify(bundle(adult("aaaa-1"))));
  writeFileSync(join(dir, "b.json"), JSON.stringify(bundle(adult("bbbb-2"))));
  writeFileSync(
    join(dir, "child.json"),
    JSON.stringify(
      bundle([
        { resource: patient("cccc-3", { birthDate: "2012-01-01" }) },
        { resource: encounter("c-e1", "Patient/cccc-3", "2013-01-01") },
        { resource: encounter("c-e2", "Patient/cccc-3", "2019-01-01") },
      ]),
    ),
  );
  writeFileSync(
    join(dir, "short.json"),
    JSON.stringify(
      bundle([
        { resource: patient("dddd-4", { birthDate: "1940-01-01" }) },
        { resource: condition("d-c", "Patient/dddd-4", "72892002", "2019-03-03") },
      ]),
    ),
  );
  const digoxin = medication("digoxin", "197604") as unknown as { code: { coding: { display?: string }[] } };
  digoxin.code.coding[0]!.display = "Digoxin 0.125 MG Oral Tablet";
  writeFileSync(join(dir, "hospitalInformation1.json"), JSON.stringify(bundle([{ resource: digoxin as unknown as Resource }])));
}

describe("checkExternal", () => {
  it("counts patients, eligibility and the most frequent unmapped codes with displays", async () => {
    const dir = tempDir();
    writeDataset(dir);
    const report = await checkExternal(dir);
    expect(report.stats.patients).toBe(4);
    expect(report.stats.resourcesByType).toEqual({ Medication: 1, Patient: 4, Encounter: 6, Condition: 5, MedicationRequest: 2 });
    expect(report.indexDateFrom).toEqual({ policy: 3, "last record date": 1, "no dated resource": 0 });
    expect(report.eligiblePatients).toBe(3);
    expect(report.ineligibleByReason).toEqual({ under_min_age: 1 });
    // The short record's index date is its only Condition's day: no history before it.
    expect(report.warnings).toEqual({ no_bmi: 3, short_history: 1 });
    expect(report.topUnmapped).toEqual([
      { code: "http://snomed.info/sct|72892002", count: 2, patients: 2, display: "Normal pregnancy" },
      { code: "http://www.nlm.nih.gov/research/umls/rxnorm|197604", count: 2, patients: 2, display: "Digoxin 0.125 MG Oral Tablet" },
    ]);
    const text = formatExternalCheck(report);
    expect(text).toContain("eligible patients: 3 of 4; ineligible by reason: under_min_age 1");
    expect(text).toContain("       2      2  http://snomed.info/sct|72892002  Normal pregnancy");
  });
});

describe("npm run check:external", () => {
  it("prints the summary for a directory and exits 0", () => {
    const dir = tempDir();
    writeDataset(dir);
    // An OS temp folder of the test's own: what other runs left in the machine's would be removed
    // at start with a line on stderr (models/features/scratch-folder.ts).
    const tmp = tempDir("patella-test-check-external-tmp-");
    const result = spawnSync(TSX, [CLI, dir], { encoding: "utf8", env: { ...process.env, TMPDIR: tmp } });
    rmSync(tmp, { recursive: true, force: true });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`check:external ${dir} (bundle, per-bundle)`);
    expect(result.stdout).toContain("unmapped codes: 2 distinct; top 2 by frequency");
    const top1 = spawnSync(TSX, [CLI, dir, "--top", "1"], { encoding: "utf8" });
    expect(top1.stdout).toContain("unmapped codes: 2 distinct; top 1 by frequency");
    expect(top1.stdout).toContain("http://snomed.info/sct|72892002  Normal pregnancy");
    expect(top1.stdout).not.toContain("197604");
  }, 120_000);

  it("explains its usage when no directory is given", () => {
    const result = spawnSync(TSX, [CLI], { encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^give exactly one directory\nusage: npm run check:external -- DIR \[--skip-bad-lines\] \[--top N\] \[--help\]\n/);
  });

  it("prints its usage, explaining every option, for --help and exits 0", () => {
    const result = spawnSync(TSX, [CLI, "--help"], { encoding: "utf8" });
    expect(result.status).toBe(0);
    for (const option of ["DIR", "--skip-bad-lines", "--top", "--help"]) expect(result.stdout).toMatch(new RegExp(`^  ${option}[ ,]`, "m"));
  });
});
