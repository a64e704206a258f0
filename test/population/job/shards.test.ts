import { cpSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { STATE_FILE } from "../../../population/job/checkpoint.ts";
import { mergeShards } from "../../../population/job/merge-shards.ts";
import { lockOut } from "../../../population/job/out-lock.ts";
import { POPULATION_RULES_VERSION } from "../../../population/job/rules-version.ts";
import { shardOf } from "../../../population/job/shard.ts";
import { tempDir } from "../fixtures.ts";
import { addKlGrades, MODEL, read, scorePopulation, simulatedPopulation } from "./job-fixtures.ts";

const SELECTION = { threshold: 0.01, top: null };
let input: ReturnType<typeof simulatedPopulation>;
let single: string;
const shardDirs: string[] = [];

/** summary.html without the rows that say when and how the run was made. */
const withoutTiming = (html: string) => html.replace(/<tr><td>(run|started|finished|duration)<\/td><td>[^<]*<\/td><\/tr>/g, "");

beforeAll(async () => {
  input = simulatedPopulation(120, 23);
  addKlGrades(input);
  single = tempDir("patella-job-single-");
  // Different thread counts and batch sizes: the outputs must not depend on them either.
  await scorePopulation(input.dir, single, { workers: 2, batchSize: 7 });
  for (let index = 0; index < 4; index++) {
    const dir = tempDir(`patella-job-shard${index}-`);
    await scorePopulation(input.dir, dir, { shard: { index, count: 4 }, workers: 1, batchSize: 16 });
    shardDirs.push(dir);
  }
}, 300_000);

describe("--shard i/N and merge", () => {
  it("splits the patients by a stable hash into shards that each hold some", () => {
    const ids = input.byType.get("Patient")!.map((p) => p.id!);
    const sizes = [0, 1, 2, 3].map((i) => ids.filter((id) => shardOf(id, 4) === i).length);
    expect(sizes.every((n) => n > 10)).toBe(true);
    expect(shardOf(ids[0]!, 4)).toBe(shardOf(ids[0]!, 4));
    for (const [i, dir] of shardDirs.entries()) {
      const assessed = read(dir, "risk-assessments.ndjson").trim().split("\n").filter((l) => l !== "");
      const expected = ids.filter((id) => shardOf(id, 4) === i);
      for (const line of assessed) expect(expected).toContain(JSON.parse(line).subject.reference.replace("Patient/", ""));
    }
  });

  it("merges four shards into the single run's files, byte for byte (summary.html apart from its run timing)", () => {
    const merged = tempDir("patella-job-merged-");
    const result = mergeShards([...shardDirs].reverse(), merged, SELECTION);
    expect(result.patients).toBe(120);
    for (const file of ["high-risk.csv", "imaging-knee-oa.csv", "risk-assessments.ndjson", "high-risk-group.json", "imaging-knee-oa-group.json"]) {
      expect(read(merged, file), file).toBe(read(single, file));
    }
    expect(read(single, "high-risk.csv").split("\r\n").length).toBeGreaterThan(3);
    // Patients of several shards on the imaging list (those graded, less any already diagnosed).
    const imagingIds = read(single, "imaging-knee-oa.csv").trim().split("\r\n").slice(1).map((row) => row.split(",")[1]!);
    expect(new Set(imagingIds.map((id) => shardOf(id, 4))).size).toBeGreaterThan(1);
    expect(withoutTiming(read(merged, "summary.html"))).toBe(withoutTiming(read(single, "summary.html")));
    expect(read(merged, "summary.html")).toContain("merge of 4 shards; the shards&#39; scoring took ");
    expect(read(merged, "summary.html")).not.toContain("this shard's");
  });

  it("says in a shard's summary that its patients are the shard's and what was read is the whole input's", () => {
    const summary = read(shardDirs[1]!, "summary.html");
    expect(summary).toContain(
      "Shard 1 of 4 (0-based): the patients counted here are this shard's; what was read (Data quality, resources read by type) is counted over the whole input, which every shard reads.",
    );
    expect(read(single, "summary.html")).not.toContain("Shard ");
  });

  it("refuses to merge into a folder another run is using, until it is done", () => {
    const merged = tempDir("patella-job-merge-locked-");
    const lock = lockOut(merged);
    try {
      expect(() => mergeShards(shardDirs, merged, SELECTION)).toThrow(`another run is using ${merged}`);
    } finally {
      lock.release();
    }
    expect(mergeShards(shardDirs, merged, SELECTION).patients).toBe(120);
  });

  it("refuses an incomplete set of shards, or a shard given twice", () => {
    expect(() => mergeShards(shardDirs.slice(0, 3), tempDir(), SELECTION)).toThrow(/is shard \d\/4, but 3 shard folders were given/);
    expect(() => mergeShards([shardDirs[0]!, shardDirs[0]!, shardDirs[1]!, shardDirs[2]!], tempDir(), SELECTION)).toThrow(/shards 0 to 3 once each/);
    expect(() => mergeShards([single], tempDir(), SELECTION)).not.toThrow();
  });

  it("refuses a shard of a run with other options, naming each option that differs with its two values", async () => {
    const other = tempDir("patella-job-shard-other-");
    const settings = { modelPath: MODEL, indexDate: "2025-06-01", explainFrom: 0.2, includeNames: false };
    await scorePopulation(input.dir, other, { shard: { index: 3, count: 4 }, settings });
    const dirs = [...shardDirs.slice(0, 3), other];
    expect(() => mergeShards(dirs, tempDir(), SELECTION)).toThrow(
      `${other} is a shard of another run than ${dirs[0]}: --index-date 2026-01-01 in ${dirs[0]}, 2025-06-01 in ${other}; ` +
        `--explain-from (by default the --threshold) 0.01 in ${dirs[0]}, 0.2 in ${other}`,
    );
  }, 60_000);

  it("refuses shards scored by another version of Patella (their rules version, or none recorded)", () => {
    for (const rules of ["2026.01.1", undefined]) {
      const copies = shardDirs.map((dir) => {
        const copy = tempDir("patella-job-shard-older-");
        cpSync(dir, copy, { recursive: true });
        const db = new Database(join(copy, STATE_FILE));
        const identity = JSON.parse(db.prepare("SELECT value FROM meta WHERE key = 'identity'").pluck().get() as string);
        db.prepare("UPDATE meta SET value = ? WHERE key = 'identity'").run(JSON.stringify({ ...identity, rules }));
        db.close();
        return copy;
      });
      const out = tempDir("patella-job-merge-older-");
      expect(() => mergeShards(copies, out, SELECTION)).toThrow(
        `the shards were scored by another version of Patella: Patella version (the rules a run applies) ${rules ?? "none recorded"} in the shards, ` +
          `${POPULATION_RULES_VERSION} in this Patella. Score them again with this version`,
      );
    }
  });
});
