/** A whole Bundle on one line of an NDJSON file: not read, and said so, never passed over unsaid. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Checkpoint } from "../../population/job/checkpoint.ts";
import { noPatientReadCause } from "../../population/job/input-report.ts";
import { openPopulation } from "../../population/read-population.ts";
import { bundle, condition, encounter, patient, readAll, summarise, tempDir, writeNdjson } from "./fixtures.ts";
import { populationCli, read, scorePopulation } from "./job/job-fixtures.ts";

const REASON =
  "a Bundle in an NDJSON file is not read: Bulk Data NDJSON holds one resource a line; " +
  "put the Bundle's resources one a line, or the Bundles in .json files of a folder without .ndjson files";

const patientBundle = (id: string, type: string) => ({
  ...(bundle([{ resource: patient(id) }, { resource: encounter(`e-${id}`, `Patient/${id}`, "2024-01-01") }]) as object),
  type,
});

/** The reason as summary.html writes it (its apostrophe as a character reference). */
const REASON_IN_HTML = REASON.replaceAll("'", "&#39;");

/** A cohort ordered by patient, and beside it Bundle.ndjson: p9's whole record as one Bundle line. */
function cohortWithBundleLine(): string {
  const dir = tempDir();
  writeNdjson(dir, "Patient.ndjson", [patient("p1"), patient("p2")]);
  writeNdjson(dir, "Condition.ndjson", [condition("c1", "Patient/p1", "44054006", "2015-03-01"), condition("c2", "Patient/p2", "59621000", "2016-03-01")]);
  writeNdjson(dir, "Bundle.ndjson", [patientBundle("p9", "collection")]);
  return dir;
}

/** Only Bundles, one a line, as some tools write an "export". */
function bundlesOnly(count: number): string {
  const dir = tempDir();
  writeNdjson(dir, "export.ndjson", Array.from({ length: count }, (_, i) => patientBundle(`b${i}`, i % 2 === 0 ? "transaction" : "collection")));
  return dir;
}

describe("a Bundle on a line of an NDJSON file", () => {
  it("stops a strict read, naming the file and line", async () => {
    await expect(readAll(cohortWithBundleLine())).rejects.toThrow(/^Bundle\.ndjson:1: a Bundle in an NDJSON file is not read: .*; use --skip-bad-lines/);
  });

  it("is counted and listed as a skipped line with what to do, not as a resource read", async () => {
    const { records, stats } = await readAll(cohortWithBundleLine(), { skipBadLines: true });
    expect(summarise(records)).toEqual({ p1: ["Patient/p1", "Condition/c1"], p2: ["Patient/p2", "Condition/c2"] });
    expect(stats.skipped).toEqual({ [REASON]: 1 });
    expect(stats.skippedLines).toEqual([{ where: "Bundle.ndjson:1", reason: REASON }]);
    expect(stats.resourcesByType).toEqual({ Patient: 2, Condition: 2 });
    expect(stats.shared).toEqual({});
  });

  it("is counted so by the job's reader too (the join without a dry run), without a restart", async () => {
    const population = await openPopulation(cohortWithBundleLine(), { skipBadLines: true });
    const kinds: string[] = [];
    for await (const group of population.groups()) kinds.push(group.kind);
    expect(kinds).toEqual(["lines", "lines"]);
    expect(population.stats.skipped).toEqual({ [REASON]: 1 });
    expect(population.stats.skippedLines).toEqual([{ where: "Bundle.ndjson:1", reason: REASON }]);
    expect(population.stats.shared).toEqual({});
  });

  it("counts every Bundle line of a folder that holds nothing else", async () => {
    const { records, stats } = await readAll(bundlesOnly(30), { skipBadLines: true });
    expect(records).toEqual([]);
    expect(stats.skipped).toEqual({ [REASON]: 30 });
    // `printf %s export.ndjson | sha256sum`: not a Bulk Data name (by type), so by its hash.
    expect(stats.skippedLines.map((s) => s.where)).toEqual(Array.from({ length: 30 }, (_, i) => `file whose name's SHA-256 begins 7d021998bf35:${i + 1}`));
    expect(stats.resourcesByType).toEqual({});
  });
});

describe("the population job and Bundle lines", () => {
  it("reports them in summary.html's data quality and bad lines, not under resources read", async () => {
    const out = tempDir("patella-job-bundle-lines-");
    const result = await scorePopulation(cohortWithBundleLine(), out, { workers: 1 });
    expect(result.patients).toBe(2);
    const checkpoint = Checkpoint.openFinished(out);
    const report = checkpoint.inputReport()!;
    checkpoint.close();
    expect(report.skipped[REASON]).toBe(1);
    expect(report.badLines).toEqual([{ where: "Bundle.ndjson:1", reason: REASON }]);
    expect(report.resourcesByType["Bundle"]).toBeUndefined();
    const html = read(out, "summary.html");
    expect(html).toContain(`<tr><td>skipped by the reader: ${REASON_IN_HTML}</td><td class="n">1</td></tr>`);
    expect(html).toContain(`<tr><td>Bundle.ndjson:1</td><td>${REASON_IN_HTML}</td><td>skipped</td></tr>`);
    expect(html).not.toContain("<tr><td>Bundle</td>");
  }, 120_000);

  it("names the Bundle lines as why no Patient was read, when they are all there was", async () => {
    const out = tempDir("patella-job-bundles-only-");
    const result = await scorePopulation(bundlesOnly(30), out, { workers: 1 });
    expect(result.patientResources).toBe(0);
    const checkpoint = Checkpoint.openFinished(out);
    const report = checkpoint.inputReport()!;
    checkpoint.close();
    expect(read(out, "summary.html")).toContain(`<tr><td>skipped by the reader: ${REASON_IN_HTML}</td><td class="n">30</td></tr>`);
    expect(noPatientReadCause(report)).toBe(`30 lines of NDJSON files were Bundles, which are not read (${REASON})`);
  }, 120_000);

  it("ends the command with that cause", async () => {
    const run = await populationCli(["--input", bundlesOnly(3), "--out", tempDir("patella-job-bundles-only-cli-"), "--workers", "1"]).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`no Patient resources were read, so no patient could be scored (3 lines of NDJSON files were Bundles, which are not read (${REASON}))`);
  }, 120_000);

  it("says the input needs the Patient type when nothing explains its absence", () => {
    const report = { skipped: { "line is not valid JSON": 2 } };
    expect(noPatientReadCause(report)).toBe("the input needs the Patient type");
    expect(noPatientReadCause({ skipped: { [REASON]: 1 } })).toBe(`1 line of NDJSON files was a Bundle, which is not read (${REASON})`);
  });
});

// A Bundle line among a file's resources belongs to no patient: the join passes over it as over a
// bad line, and the order of the rest decides.
describe("a Bundle line inside an ordered file", () => {
  it("does not make the files count as out of order", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("p1"), patient("p2")]);
    writeFileSync(
      join(dir, "Condition.ndjson"),
      [condition("c1", "Patient/p1", "44054006", "2015-03-01"), patientBundle("p1", "collection"), condition("c2", "Patient/p2", "59621000", "2016-03-01")].map((r) => JSON.stringify(r)).join("\n") + "\n",
    );
    const { records, stats } = await readAll(dir, { skipBadLines: true });
    expect(stats.grouping).toBe("merge-join");
    expect(summarise(records)).toEqual({ p1: ["Patient/p1", "Condition/c1"], p2: ["Patient/p2", "Condition/c2"] });
    expect(stats.skippedLines).toEqual([{ where: "Condition.ndjson:2", reason: REASON }]);
  });
});
