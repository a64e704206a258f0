import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lineProgress } from "../../../population/job/progress.ts";
import { bundle, condition, encounter, patient, tempDir, writeNdjson } from "../fixtures.ts";
import { INDEX_DATE, MODEL, populationCli, read, scorePopulation } from "./job-fixtures.ts";

/** Runs the job in this process and returns its stderr events (JSON lines) as objects. */
async function events(inputDir: string): Promise<Record<string, unknown>[]> {
  const log: string[] = [];
  const progress = lineProgress({ write: (line: string) => log.push(line) } as unknown as NodeJS.WritableStream);
  await scorePopulation(inputDir, tempDir("patella-job-events-"), { workers: 1, batchSize: 1, progress });
  return log.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("bad NDJSON lines on the spill path", () => {
  it("gives each bad line one stderr event, though the merge join read it before the regrouping", async () => {
    // Condition.ndjson:1 is not JSON (the reading thread finds it); Encounter.ndjson:2 is cut
    // short after p1's reference (placed on p1 unparsed, a scoring thread finds it). c1 of p1
    // after c3 of p3 shows the disorder only once p3 has been joined, so the join has read both.
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("p1"), patient("p2"), patient("p3")]);
    writeNdjson(dir, "Condition.ndjson", [condition("c3", "Patient/p3", "44054006", "2015-03-01"), condition("c1", "Patient/p1", "44054006", "2016-03-01")]);
    writeFileSync(join(dir, "Condition.ndjson"), `{not json\n${read(dir, "Condition.ndjson")}`);
    const cut = JSON.stringify(encounter("cut", "Patient/p1", "2019-01-01")).slice(0, -12);
    writeNdjson(dir, "Encounter.ndjson", [encounter("e1", "Patient/p1", "2018-01-01")], [cut, JSON.stringify(encounter("e3", "Patient/p3", "2018-01-01"))]);
    const logged = await events(dir);
    expect(logged.filter((e) => e.event === "regrouping")).toHaveLength(1);
    const badLines = logged.filter((e) => e.event === "bad line skipped").map((e) => `${e.where} ${e.reason}`);
    expect(badLines.sort()).toEqual(["Condition.ndjson:1 line is not valid JSON", "Encounter.ndjson:2 line is not valid JSON"]);
  }, 60_000);
});

describe("a Bundle file that is not read", () => {
  it("gives one stderr event naming the file by its label, never by its name", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "Jane_Doe_0b9c.json"), '{"resourceType": "Bundle", "entry": [');
    writeFileSync(join(dir, "notes.json"), '{"note": "JSON, but no resourceType"}');
    writeFileSync(join(dir, "p1.json"), JSON.stringify(bundle([{ resource: patient("p1") }, { resource: encounter("e1", "Patient/p1", "2018-01-01") }])));
    const logged = await events(dir);
    // printf %s Jane_Doe_0b9c.json | sha256sum: 19ba5d12885f...
    expect(logged.filter((e) => e.event === "bad file skipped")).toEqual([
      { time: expect.any(String), event: "bad file skipped", file: "Bundle file whose name's SHA-256 begins 19ba5d12885f", reason: "not valid JSON" },
      // printf %s notes.json | sha256sum: 75e2e39c6918...
      { time: expect.any(String), event: "bad file skipped", file: "Bundle file whose name's SHA-256 begins 75e2e39c6918", reason: "not a FHIR resource" },
    ]);
    expect(JSON.stringify(logged)).not.toMatch(/Jane|Doe/);
  }, 60_000);
});

describe("entries of an NDJSON folder that are not read", () => {
  it("give one stderr event each, by their reason, names that may hold a patient's by label only", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("p1")]);
    writeNdjson(dir, "Encounter.ndjson", [encounter("e1", "Patient/p1", "2018-01-01")]);
    writeFileSync(join(dir, "Condition.ndjson.gz"), "");
    writeFileSync(join(dir, "Jane_Doe.txt"), "notes");
    const logged = (await events(dir)).filter((e) => e.event === "bad file skipped").map((e) => `${e.file}: ${e.reason}`);
    expect(logged).toEqual([
      "Condition.ndjson.gz: compressed (.gz): not read; decompress it first",
      // printf %s Jane_Doe.txt | sha256sum: 96d62d038403...
      "file whose name's SHA-256 begins 96d62d038403: not an .ndjson file",
    ]);
  }, 60_000);
});

describe("--min-age below the model's minimum age", () => {
  /** p2 is 12 at the index date (born 2013-06-01, index 2026-01-01): scored only with --min-age 12 or lower. */
  function withChild(): string {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("p1"), patient("p2", { birthDate: "2013-06-01" })]);
    writeNdjson(dir, "Encounter.ndjson", [encounter("e1", "Patient/p1", "2024-01-01"), encounter("e2", "Patient/p2", "2024-01-01")]);
    return dir;
  }
  const warningLine =
    `warning: --min-age 10 is below the model's minimum age of 18: patients aged 10 and over are scored, children among them, which the model is not meant for ` +
    `(models/deep-koa/MODEL_CARD.md, "Not intended use"); summary.html says so too`;
  const minAgeLines = (stderr: string) => stderr.split("\n").filter((line) => line.includes("--min-age"));

  it("scores the children asked for, with one warning line on stderr and a warning in summary.html", async () => {
    const out = tempDir("patella-job-min-age-");
    const run = await populationCli(["--input", withChild(), "--out", out, "--index-date", INDEX_DATE, "--min-age", "10", "--workers", "1"]).done;
    expect(run.code).toBe(0);
    expect(minAgeLines(run.stderr)).toEqual([warningLine]);
    expect(run.stdout).toContain("2 patients (2 scored");
    expect(read(out, "summary.html")).toContain("--min-age 10 is below the model&#39;s minimum age of 18");
  }, 60_000);

  it("gives the same warning when merging the shards of such a run", async () => {
    const dir = withChild();
    const settings = { modelPath: MODEL, indexDate: INDEX_DATE, explainFrom: 0.01, includeNames: false, minAgeYears: 10 };
    const shards = [tempDir("patella-job-min-age-shard0-"), tempDir("patella-job-min-age-shard1-")];
    for (const [index, shardDir] of shards.entries()) await scorePopulation(dir, shardDir, { shard: { index, count: 2 }, settings });
    const out = tempDir("patella-job-min-age-merged-");
    const merged = await populationCli(["merge", ...shards, "--out", out]).done;
    expect(merged.code).toBe(0);
    expect(minAgeLines(merged.stderr)).toEqual([warningLine]);
    expect(merged.stdout).toContain("merged 2 shards: 2 patients, 2 scored");
    expect(read(out, "summary.html")).toContain("--min-age 10 is below the model&#39;s minimum age of 18");
  }, 60_000);
});
