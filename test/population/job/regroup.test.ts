import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { Checkpoint, STATE_FILE } from "../../../population/job/checkpoint.ts";
import { lineProgress } from "../../../population/job/progress.ts";
import { SPILL_NOTE, SPILL_RECORD, spillFolder } from "../../../population/job/spill-folder.ts";
import { tempDir } from "../fixtures.ts";
import { recordingProgress } from "./recording-progress.ts";
import { INDEX_DATE, killPopulationCliWhen, populationCli, read, scorePopulation, simulatedPopulation } from "./job-fixtures.ts";

// The job runs the merge join without a dry run: files that turn out not to be ordered by
// patient, found only at the end, make it forget what it scored and score again from the spill.
const PATIENTS = 160;
const OUTPUTS = ["high-risk.csv", "imaging-knee-oa.csv", "risk-assessments.ndjson", "high-risk-group.json", "imaging-knee-oa-group.json"];
/** summary.html without the rows that say when the run was made and how the input was grouped. */
const withoutRunRows = (html: string) => html.replace(/<tr><td>(started|finished|duration|input|source)<\/td><td>[^<]*<\/td><\/tr>/g, "");

let ordered: string;
let unordered: string;
let reference: string;

/** The same population with the Conditions of its first `moved` patients moved, in their order,
 * to the end of Condition.ndjson: the join gives those patients no Conditions and finds the
 * disorder only once every patient has been yielded. */
function moveConditionsToTheEnd(from: string, moved: number): string {
  const dir = tempDir("patella-job-unordered-");
  cpSync(from, dir, { recursive: true });
  const patients = readFileSync(join(dir, "Patient.ndjson"), "utf8").trim().split("\n").slice(0, moved).map((l) => `Patient/${JSON.parse(l).id}`);
  const lines = readFileSync(join(dir, "Condition.ndjson"), "utf8").trim().split("\n");
  const isMoved = (line: string) => patients.includes(JSON.parse(line).subject?.reference);
  expect(lines.filter(isMoved).length).toBeGreaterThan(moved);
  writeFileSync(join(dir, "Condition.ndjson"), [...lines.filter((l) => !isMoved(l)), ...lines.filter(isMoved)].join("\n") + "\n");
  return dir;
}

const stored = (out: string) => {
  if (!existsSync(join(out, STATE_FILE))) return { n: 0, grouping: null };
  const db = new Database(join(out, STATE_FILE), { readonly: true });
  try {
    const n = (db.prepare("SELECT count(*) FROM patient").pluck().get() as number) ?? 0;
    const grouping = (db.prepare("SELECT value FROM meta WHERE key = 'grouping'").pluck().get() as string | undefined) ?? null;
    return { n, grouping };
  } catch (error) {
    // Before the job has created its tables.
    if (!/no such table/.test((error as Error).message)) throw error;
    return { n: 0, grouping: null };
  } finally {
    db.close();
  }
};

const cliArgs = (out: string) => ["--input", unordered, "--out", out, "--index-date", INDEX_DATE, "--threshold", "0.01", "--workers", "1", "--batch-size", "8"];

async function killWhen(out: string, ready: (state: ReturnType<typeof stored>) => boolean) {
  const killed = await killPopulationCliWhen(cliArgs(out), () => ready(stored(out)), 20);
  expect(killed.signal).toBe("SIGKILL");
  for (const file of OUTPUTS) expect(existsSync(join(out, file))).toBe(false);
  return stored(out);
}

/** The spill databases under `dir`; none while a folder being listed is removed. */
const spillDatabases = (dir: string) => {
  try {
    return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((path) => basename(path) === "spill.sqlite");
  } catch {
    return [];
  }
};

beforeAll(async () => {
  ordered = simulatedPopulation(PATIENTS, 41).dir;
  unordered = moveConditionsToTheEnd(ordered, 12);
  reference = tempDir("patella-job-ordered-");
  await scorePopulation(ordered, reference, { batchSize: 8 });
}, 240_000);

describe("input found not ordered by patient only at the end", () => {
  it("gives exactly the outputs of the ordered input, after discarding what the join scored", async () => {
    const out = tempDir("patella-job-regrouped-");
    const log: string[] = [];
    const progress = lineProgress({ write: (line: string) => log.push(line) } as unknown as NodeJS.WritableStream);
    await scorePopulation(unordered, out, { batchSize: 8, progress });
    const regrouping = log.map((line) => JSON.parse(line)).filter((event) => event.event === "regrouping");
    expect(regrouping).toHaveLength(1);
    // Found late: most patients had been scored (and stored) from the join.
    expect(regrouping[0].discarded).toBeGreaterThan(PATIENTS / 2);
    for (const file of OUTPUTS) expect(read(out, file), file).toBe(read(reference, file));
    expect(withoutRunRows(read(out, "summary.html"))).toBe(withoutRunRows(read(reference, "summary.html")));
    const checkpoint = Checkpoint.openFinished(out);
    const { grouping, ...report } = checkpoint.inputReport()!;
    checkpoint.close();
    const orderedCheckpoint = Checkpoint.openFinished(reference);
    const { grouping: orderedGrouping, ...orderedReport } = orderedCheckpoint.inputReport()!;
    orderedCheckpoint.close();
    expect([grouping, orderedGrouping]).toEqual(["sqlite-spill", "merge-join"]);
    expect(report).toEqual(orderedReport);
  }, 240_000);

  it("restarts the progress at the regrouping, whose counts start again from the first patient", async () => {
    const { progress, calls } = recordingProgress();
    await scorePopulation(unordered, tempDir("patella-job-regroup-progress-"), { batchSize: 8, progress });
    const regrouping = calls.indexOf("event regrouping");
    expect(regrouping).toBeGreaterThan(0);
    // The rate and the ETA are measured again from here (progress.test.ts): every patient is read
    // again from the spill, 1 to PATIENTS, then the last counts once the batches are back.
    expect(calls.slice(regrouping + 1)).toEqual([
      "restart",
      ...Array.from({ length: PATIENTS }, (_, i) => `update ${i + 1}`),
      `update ${PATIENTS}`,
      "stop",
    ]);
    expect(calls.filter((call) => call === "restart")).toHaveLength(1);
  }, 240_000);

  it("resumes after kill -9 during the join: forgets the joined patients, then scores every one once", async () => {
    const out = tempDir("patella-job-killed-join-");
    // Killed as soon as the join has stored a batch: the join is the first half of the run.
    const killed = await killWhen(out, (state) => state.n >= 8);
    expect(killed.grouping).toBeNull();
    const second = await populationCli(cliArgs(out)).done;
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('"event":"regrouping"');
    expect(stored(out)).toEqual({ n: PATIENTS, grouping: '"sqlite-spill"' });
    for (const file of OUTPUTS) expect(read(out, file), file).toBe(read(reference, file));
  }, 240_000);

  it("resumes after kill -9 once regrouped: goes straight to the spill and keeps what it stored", async () => {
    const out = tempDir("patella-job-killed-spill-");
    const killed = await killWhen(out, (state) => state.grouping !== null && state.n >= 24);
    expect(killed.n).toBeLessThan(PATIENTS);
    const second = await populationCli(cliArgs(out)).done;
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain('"event":"regrouping"');
    expect(second.stdout).toMatch(new RegExp(`^${PATIENTS} patients \\(\\d+ scored\\), ${killed.n} of the ${PATIENTS} stored by an earlier run, in `));
    expect(stored(out)).toEqual({ n: PATIENTS, grouping: '"sqlite-spill"' });
    for (const file of OUTPUTS) expect(read(out, file), file).toBe(read(reference, file));
  }, 240_000);
});

describe("the spill of a run killed with -9, or stopped", () => {
  it("is left in the run's own folder, and removed as soon as the run is resumed", async () => {
    const out = tempDir("patella-job-killed-mid-spill-");
    /** Kills a run as soon as it has a spill database other than `left` (the wait ends too if the
     * run finishes first); returns the spill databases it leaves. */
    const killMidSpill = async (left: string[]) => {
      const spilling = () => spillDatabases(out).some((database) => !left.includes(database));
      const killed = await killPopulationCliWhen(cliArgs(out), () => spilling() || existsSync(join(out, "summary.html")), 20);
      expect(killed.signal).toBe("SIGKILL");
      return spillDatabases(out);
    };
    const first = await killMidSpill([]);
    expect(first).toHaveLength(1);
    // Killed while spilling again: the first run's leftover went when this one started.
    const second = await killMidSpill(first);
    expect(second).toHaveLength(1);
    expect(second).not.toEqual(first);
    const third = await populationCli(cliArgs(out)).done;
    expect(third.code).toBe(0);
    expect(readdirSync(out).filter((name) => name.includes("spill"))).toEqual([]);
    for (const file of OUTPUTS) expect(read(out, file), file).toBe(read(reference, file));
  }, 240_000);

  it("goes when the run is stopped with SIGTERM or Ctrl-C's SIGINT; resumed, the run writes the uninterrupted run's files", async () => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const out = tempDir("patella-job-stopped-mid-spill-");
      const stopped = await killPopulationCliWhen(cliArgs(out), () => spillDatabases(out).length > 0 || existsSync(join(out, "summary.html")), 20, signal);
      expect(stopped.signal).toBe(signal);
      expect(existsSync(join(out, "summary.html")), "stopped before the end").toBe(false);
      expect(readdirSync(out).filter((name) => name.includes("spill"))).toEqual([]);
      const resumed = await populationCli(cliArgs(out)).done;
      expect(resumed.code).toBe(0);
      for (const file of OUTPUTS) expect(read(out, file), file).toBe(read(reference, file));
    }
  }, 240_000);

  it("with --temp-dir, is in a folder there named after the run's --out: a run removes its own leftover, never another run's", async () => {
    const temp = tempDir("patella-job-temp-");
    const out = tempDir("patella-job-temp-out-");
    // As kill -9 leaves them: this run's, and one of another run (a shard on the same volume).
    const own = join(spillFolder(out, temp), "patella-spill-Xk3p9Q");
    const othersFolder = spillFolder(tempDir("patella-job-other-out-"), temp);
    const others = join(othersFolder, "patella-spill-b7Tz1m");
    for (const dir of [own, others]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "spill.sqlite"), "");
    }
    // A record of the spill's place that names the other run's (an --out copied from it): not this run's to remove.
    writeFileSync(join(out, SPILL_RECORD), `${othersFolder}\n`);
    await scorePopulation(unordered, out, { batchSize: 8, tempDir: temp });
    expect(existsSync(spillFolder(out, temp))).toBe(false);
    expect(spillDatabases(temp)).toEqual([relative(temp, join(others, "spill.sqlite"))]);
    expect(readdirSync(out).filter((name) => name.includes("spill"))).toEqual([]);
    for (const file of OUTPUTS) expect(read(out, file), file).toBe(read(reference, file));
  }, 240_000);

  it("with --temp-dir, names the --out it belongs to, and goes when the run is resumed with another --temp-dir", async () => {
    const out = tempDir("patella-job-moved-temp-out-");
    const firstTemp = tempDir("patella-job-first-temp-");
    const killed = await killPopulationCliWhen(
      [...cliArgs(out), "--temp-dir", firstTemp],
      () => spillDatabases(firstTemp).length > 0 || existsSync(join(out, "summary.html")),
      20,
    );
    expect(killed.signal).toBe("SIGKILL");
    // An operator who finds the folder can tell whose it is, and whether it is safe to delete.
    const left = spillFolder(out, firstTemp);
    expect(spillDatabases(firstTemp)).toHaveLength(1);
    expect(readFileSync(join(left, SPILL_NOTE), "utf8")).toContain(`the --out ${resolve(out)}`);
    // Resumed with another --temp-dir: the first run's spill is this --out's too.
    const otherTemp = tempDir("patella-job-other-temp-");
    const resumed = await populationCli([...cliArgs(out), "--temp-dir", otherTemp]).done;
    expect(resumed.code).toBe(0);
    expect(existsSync(left)).toBe(false);
    expect(readdirSync(otherTemp)).toEqual([]);
    expect(readdirSync(out).filter((name) => name.includes("spill"))).toEqual([]);
    for (const file of OUTPUTS) expect(read(out, file), file).toBe(read(reference, file));
  }, 240_000);
});
