import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { STATE_FILE } from "../../../population/job/checkpoint.ts";
import { LOCK_FILE, lockOut, OutInUseError } from "../../../population/job/out-lock.ts";
import { POPULATION_RULES_VERSION } from "../../../population/job/rules-version.ts";
import { tempDir } from "../fixtures.ts";
import { addKlGrades, INDEX_DATE, killPopulationCliWhen, MODEL, populationCli, read, scorePopulation, simulatedPopulation } from "./job-fixtures.ts";

const OUTPUTS = ["high-risk.csv", "imaging-knee-oa.csv", "risk-assessments.ndjson", "high-risk-group.json", "imaging-knee-oa-group.json"];
/** summary.html without the rows that say when and how the run was made. */
const withoutTiming = (html: string) => html.replace(/<tr><td>(run|started|finished|duration)<\/td><td>[^<]*<\/td><\/tr>/g, "");
const PATIENTS = 400;
let input: string;
let reference: string;
/** Conditions whose code beforeAll removed. */
let conditionsWithoutCode: number;

/** Removes the code of every fifth Condition of `dir`, spread over the patients: as every record
 * the simulator writes, each is confirmed and before the index date, so the feature builder skips
 * each one as "Condition: no code". Returns how many. */
function removeConditionCodes(dir: string): number {
  const file = join(dir, "Condition.ndjson");
  const conditions = read(dir, "Condition.ndjson").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
  writeFileSync(file, conditions.map((c, i) => `${JSON.stringify(i % 5 === 0 ? { ...c, code: undefined } : c)}\n`).join(""));
  return Math.ceil(conditions.length / 5);
}

/** Rows stored in the checkpoint so far (none before the job has created its table). */
const storedRows = (out: string) => {
  if (!existsSync(join(out, STATE_FILE))) return { n: 0, ids: 0 };
  const db = new Database(join(out, STATE_FILE), { readonly: true });
  try {
    return db.prepare("SELECT count(*) AS n, count(DISTINCT patient_id) AS ids FROM patient").get() as { n: number; ids: number };
  } catch {
    return { n: 0, ids: 0 };
  } finally {
    db.close();
  }
};

/** The run identity a checkpoint holds. */
const storedIdentity = (out: string) => {
  const db = new Database(join(out, STATE_FILE), { readonly: true });
  try {
    return JSON.parse(db.prepare("SELECT value FROM meta WHERE key = 'identity'").pluck().get() as string);
  } finally {
    db.close();
  }
};

/** Makes `out`'s checkpoint one left by an interrupted run with `identity`. */
const rewriteCheckpoint = (out: string, identity: unknown) => {
  const db = new Database(join(out, STATE_FILE));
  try {
    db.prepare("UPDATE meta SET value = ? WHERE key = 'identity'").run(JSON.stringify(identity));
    db.prepare("DELETE FROM meta WHERE key = 'input'").run();
  } finally {
    db.close();
  }
};

const cliArgs = (out: string) => ["--input", input, "--out", out, "--index-date", INDEX_DATE, "--threshold", "0.01", "--workers", "1", "--batch-size", "8"];

beforeAll(async () => {
  const population = simulatedPopulation(PATIENTS, 5);
  addKlGrades(population);
  input = population.dir;
  conditionsWithoutCode = removeConditionCodes(input);
  reference = tempDir("patella-job-ref-");
  await scorePopulation(input, reference, { batchSize: 32 });
  // The comparisons below hold patients on the imaging list too.
  expect(JSON.parse(read(reference, "imaging-knee-oa-group.json")).quantity).toBeGreaterThan(10);
}, 180_000);

describe("resuming an interrupted run", () => {
  it("after kill -9 while scoring: continues, scores every patient once, and writes the uninterrupted run's files", async () => {
    const out = tempDir("patella-job-killed-");
    const killed = await killPopulationCliWhen(cliArgs(out), () => storedRows(out).n >= 40, 100);
    expect(killed.signal).toBe("SIGKILL");
    const before = storedRows(out).n;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(PATIENTS);
    for (const file of OUTPUTS) expect(existsSync(join(out, file))).toBe(false);

    const second = await populationCli(cliArgs(out)).done;
    expect(second.stderr).toMatch(/"event":"resumed","patientsAlreadyStored":\d+/);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`^${PATIENTS} patients \\(\\d+ scored\\), ${before} of the ${PATIENTS} stored by an earlier run, in `));
    expect(storedRows(out)).toEqual({ n: PATIENTS, ids: PATIENTS });
    for (const file of OUTPUTS) expect(read(out, file), file).toBe(read(reference, file));
    // The resumed run still counts the whole input (the lines of patients it did not score again),
    // and the feature builder's counts of the patients the killed run stored (the checkpoint's).
    expect(withoutTiming(read(out, "summary.html"))).toBe(withoutTiming(read(reference, "summary.html")));
    expect(read(out, "summary.html")).toContain(
      `<tr><td>run</td><td>single run, resumed: ${before} patients were stored by an interrupted run before it (started and duration are this run&#39;s)</td></tr>`,
    );
    expect(read(out, "summary.html")).toContain(
      `<tr><td>skipped by the feature builder: Condition: no code</td><td class="n">${conditionsWithoutCode.toLocaleString("en-US")}</td></tr>`,
    );
  }, 240_000);

  it("after a stop between scoring and the outputs: writes them without scoring again", async () => {
    const out = tempDir("patella-job-outputs-");
    await scorePopulation(input, out);
    for (const file of [...OUTPUTS, "summary.html"]) rmSync(join(out, file));
    const again = await populationCli(cliArgs(out)).done;
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('"event":"already scored"');
    for (const file of OUTPUTS) expect(read(out, file), file).toBe(read(reference, file));
  }, 120_000);

  it("refuses to resume a state left by a run with other settings, and says how to resume it", async () => {
    const result = await populationCli([...cliArgs(reference).slice(0, 4), "--index-date", "2025-06-01"]).done;
    expect(result.code).toBe(1);
    // The default --threshold (the "high" tier, 0.05) sets --explain-from too.
    expect(result.stderr).toContain(
      "job-state.sqlite belongs to another run: --index-date 2026-01-01 in that run, 2025-06-01 in this one; " +
        "--explain-from (by default the --threshold) 0.01 in that run, 0.05 in this one. " +
        "To resume that run, run the command without --index-date (it then takes that run's, 2026-01-01) and with that run's other values above; " +
        "to score with this one's, use another --out, or delete it to start over",
    );
    const dateOnly = await populationCli([...cliArgs(reference).slice(0, 4), "--threshold", "0.01", "--index-date", "2025-06-01"]).done;
    expect(dateOnly.code).toBe(1);
    expect(dateOnly.stderr).toContain(
      "job-state.sqlite belongs to another run: --index-date 2026-01-01 in that run, 2025-06-01 in this one. " +
        "To resume that run, run the command without --index-date (it then takes that run's, 2026-01-01); " +
        "to score with this one's, use another --out, or delete it to start over",
    );
  }, 60_000);

  it("takes the index date of the run OUT holds when --index-date is not given: a run stopped before midnight (UTC) resumes the next day", async () => {
    const small = simulatedPopulation(12, 9);
    const out = tempDir("patella-job-next-day-");
    const args = ["--input", small.dir, "--out", out, "--workers", "1"];
    // 2026-01-01 is not today: the run was started on another day, which chose it.
    expect((await populationCli([...args, "--index-date", INDEX_DATE]).done).code).toBe(0);
    const said = `resuming the run of --index-date ${INDEX_DATE} stored in ${out}; pass --index-date to score another date in another --out`;
    // Unfinished (stopped before the whole input was read), then finished: both taken up again.
    rewriteCheckpoint(out, storedIdentity(out));
    const resumed = await populationCli(args).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr.split("\n")).toContain(said);
    expect(resumed.stderr).not.toContain('"event":"already scored"');
    const again = await populationCli(args).done;
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr.split("\n")).toContain(said);
    expect(again.stderr).toContain('"event":"already scored"');
    expect(storedIdentity(out).indexDate).toBe(INDEX_DATE);
    expect(read(out, "risk-assessments.ndjson")).toContain(`"start":"${INDEX_DATE}"`);
  }, 120_000);

  it("refuses a finished run's folder once its input folder has changed, rather than rewrite the old results as new", async () => {
    const small = simulatedPopulation(12, 9);
    const out = tempDir("patella-job-changed-");
    const args = ["--input", small.dir, "--out", out, "--index-date", INDEX_DATE, "--workers", "1"];
    expect((await populationCli(args).done).code).toBe(0);
    // Half of the Patient file cut away, as the outside review did.
    const patients = small.byType.get("Patient")!;
    writeFileSync(join(small.dir, "Patient.ndjson"), patients.slice(0, 6).map((p) => `${JSON.stringify(p)}\n`).join(""));
    const again = await populationCli(args).done;
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /belongs to another run: input files \(added, removed or changed since that run\) fingerprint [0-9a-f]{12} in that run, fingerprint [0-9a-f]{12} in this one\./,
    );
  }, 120_000);

  it("refuses a checkpoint left by another version of Patella (other rules, or another model file) and says how to start over", async () => {
    const small = simulatedPopulation(12, 9);
    const out = tempDir("patella-job-version-");
    const args = ["--input", small.dir, "--out", out, "--index-date", INDEX_DATE, "--workers", "1"];
    expect((await populationCli(args).done).code).toBe(0);
    const identity = storedIdentity(out);
    expect(identity.rules).toBe(POPULATION_RULES_VERSION);
    expect(identity.model.sha256).toBe(createHash("sha256").update(readFileSync(MODEL)).digest("hex"));
    const model = `${identity.model.name} ${identity.model.version}, feature spec ${identity.model.specVersion}`;
    const { rules, model: { sha256, ...modelBeforeThisCheck }, ...rest } = identity;
    const cases: [unknown, string][] = [
      // As the versions before this check wrote it: neither the rules version nor the model file's hash.
      [
        { ...rest, model: modelBeforeThisCheck },
        `Patella version (the rules a run applies) none recorded in that run, ${rules} in this one; ` +
          `model (--model) ${model}, file SHA-256 none recorded in that run, ${model}, file SHA-256 ${sha256.slice(0, 12)} in this one.`,
      ],
      [{ ...identity, rules: "2026-01-01" }, `Patella version (the rules a run applies) 2026-01-01 in that run, ${rules} in this one.`],
      [
        { ...identity, model: { ...identity.model, sha256: "0".repeat(64) } },
        `model (--model) ${model}, file SHA-256 000000000000 in that run, ${model}, file SHA-256 ${sha256.slice(0, 12)} in this one.`,
      ],
    ];
    for (const [older, difference] of cases) {
      // A run interrupted before it had read the whole input: one that would resume.
      rewriteCheckpoint(out, older);
      const again = await populationCli(args).done;
      expect(again.code).toBe(1);
      expect(again.stderr).toContain(`${join(out, STATE_FILE)} belongs to another run: ${difference} Use another --out, or delete it to start over`);
    }
  }, 120_000);

  it("keeps a finished run's report when run again: the same summary.html (not a duration of 0.0 s), and says it was already complete", async () => {
    const out = tempDir("patella-job-again-");
    const first = await populationCli(cliArgs(out)).done;
    expect(first.code).toBe(0);
    const summary = read(out, "summary.html");
    const duration = /<tr><td>duration<\/td><td>(\d+\.\d) s<\/td><\/tr>/.exec(summary)?.[1];
    expect(duration).toBeDefined();
    // stdout and summary.html give the scoring one figure; writing the outputs is timed apart.
    expect(first.stdout.split("\n")[0]).toMatch(new RegExp(`^${PATIENTS} patients \\(\\d+ scored\\) in ${duration} s, \\d+(\\.\\d+)? patients/s; outputs written in \\d+\\.\\d s$`));
    // Unrounded: the figure reported is the recorded scoring time, not the time until the outputs were written.
    const directOut = tempDir("patella-job-direct-");
    const direct = await scorePopulation(input, directOut);
    const recorded = new Database(join(directOut, STATE_FILE), { readonly: true });
    const timing = JSON.parse(recorded.prepare("SELECT value FROM meta WHERE key = 'timing'").pluck().get() as string) as { seconds: number };
    recorded.close();
    expect(direct.seconds).toBe(timing.seconds);
    const again = await populationCli(cliArgs(out)).done;
    expect(again.code).toBe(0);
    expect(read(out, "summary.html")).toBe(summary);
    expect(again.stdout.split("\n")[0]).toMatch(new RegExp(`^${PATIENTS} patients, already scored by the run of \\S+ \\(\\d+\\.\\d s\\): outputs written again, nobody scored$`));
  }, 120_000);
});

describe("one run at a time in an output folder", () => {
  it("refuses a second run on the same --out while the first runs, and lets a third resume once the first was killed with SIGKILL", async () => {
    const out = tempDir("patella-job-locked-");
    const first = populationCli(cliArgs(out));
    const deadline = Date.now() + 120_000;
    while (storedRows(out).n === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // Stopped while scoring: it keeps its lock, and cannot finish before the second has tried.
    first.child.kill("SIGSTOP");
    const storedByFirst = storedRows(out).n;
    expect(storedByFirst).toBeGreaterThan(0);
    const second = await populationCli(cliArgs(out)).done;
    expect(second.code).toBe(1);
    expect(second.stderr.trim()).toBe(
      `error: another run is using ${out} (it holds ${join(out, LOCK_FILE)}): wait for it to end, or use another --out. ` +
        "The lock goes when that process ends, however it ends; do not delete the file",
    );
    expect(storedRows(out).n).toBe(storedByFirst);

    first.child.kill("SIGKILL");
    expect((await first.done).signal).toBe("SIGKILL");
    // Counted again now that the first run is gone: stopped during a commit, its last batch may
    // not yet have been visible to a reader (a CI run saw 24 rows at the stop, and 32 were kept).
    const leftByFirst = storedRows(out).n;
    expect(leftByFirst).toBeGreaterThanOrEqual(storedByFirst);
    const third = await populationCli(cliArgs(out)).done;
    expect(third.code).toBe(0);
    expect(third.stdout).toMatch(new RegExp(`^${PATIENTS} patients \\(\\d+ scored\\), ${leftByFirst} of the ${PATIENTS} stored by an earlier run, in `));
    for (const file of OUTPUTS) expect(read(out, file), file).toBe(read(reference, file));
  }, 240_000);

  it("lets a run use the lock its caller took to write into OUT first (the --fhir export), and refuses one that finds it taken", async () => {
    const small = simulatedPopulation(12, 9).dir;
    const out = tempDir("patella-job-lock-passed-");
    const lock = lockOut(out);
    try {
      await expect(scorePopulation(small, out)).rejects.toThrow(OutInUseError);
      expect((await scorePopulation(small, out, { outLock: lock })).patients).toBe(12);
    } finally {
      lock.release();
    }
    expect((await scorePopulation(small, out)).patients).toBe(12);
  }, 60_000);
});

describe("the command line", () => {
  it("prints its help, and a usage error for a bad option", async () => {
    const help = await populationCli(["--help"]).done;
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--shard i/N");
    expect(help.stdout).toMatch(/SYNTHETIC/);
    const bad = await populationCli(["--input", "x", "--out", "y", "--shard", "4/4"]).done;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--shard must be i/N with 0 <= i < N");
    // A shard's Group would replace the other shards' members on the server (one id per run).
    const postShard = await populationCli(["--fhir", "http://127.0.0.1:1/fhir", "--client-id", "c", "--key", "k", "--out", "y", "--shard", "0/2", "--post-group"]).done;
    expect(postShard.code).toBe(2);
    expect(postShard.stderr.split("\n")[0]).toBe("--post-group cannot be used with --shard: a shard's Group holds only its own patients; merge the shards and PUT the merged Groups");
    // The token and the patients' data over plain http to another machine; a poll limit with nothing to poll.
    const plain = await populationCli(["--fhir", "http://ehr.example/fhir", "--client-id", "c", "--key", "k", "--out", "y"]).done;
    expect(plain.code).toBe(2);
    expect(plain.stderr.split("\n")[0]).toBe("--fhir must be an https URL (plain http only on loopback): the token and the patients' data would cross the network in the clear");
    const pollLocal = await populationCli(["--input", "x", "--out", "y", "--poll-hours", "2"]).done;
    expect(pollLocal.code).toBe(2);
    expect(pollLocal.stderr.split("\n")[0]).toBe("--poll-hours needs --fhir");
    // Month 13, day 32 and 30 February: the same usage error, not a thrown "Invalid time value".
    for (const date of ["2025-13-01", "2025-12-32", "2025-02-30"]) {
      const badDate = await populationCli(["--input", "x", "--out", "y", "--index-date", date]).done;
      expect(badDate.code).toBe(2);
      expect(badDate.stderr.split("\n")[0]).toBe(`--index-date must be a date YYYY-MM-DD, got "${date}"`);
    }
    // A year the outputs cannot write (the risk's period would end in year 10000) or no EHR holds.
    for (const date of ["9999-12-31", "1899-12-31", "2200-01-01"]) {
      const farDate = await populationCli(["--input", "x", "--out", "y", "--index-date", date]).done;
      expect(farDate.code).toBe(2);
      expect(farDate.stderr.split("\n")[0]).toBe(`--index-date must be between 1900-01-01 and 2199-12-31, got "${date}"`);
    }
    // The job's own files (its state, its outputs) would be read back as input, and change its fingerprint.
    const folder = tempDir("patella-job-out-in-input-");
    for (const out of [folder, join(folder, "out"), `${folder}/./out/..`, join(folder, "..out")]) {
      const inside = await populationCli(["--input", folder, "--out", out]).done;
      expect(inside.code).toBe(2);
      expect(inside.stderr.split("\n")[0]).toBe("--out must not be --input or a folder inside it: the job's own files would be read as input");
    }
    // An incremental export would score each patient on the resources changed since then.
    const since = await populationCli(["--fhir", "https://ehr.example/fhir", "--client-id", "c", "--key", "k", "--out", "y", "--since", "2026-01-01T00:00:00Z"]).done;
    expect(since.code).toBe(2);
    expect(since.stderr.split("\n")[0]).toBe(
      "--since is not offered: a _since export holds only the resources changed since then, and each patient would be scored on that part of their record; export everything",
    );
    const file = join(folder, "a-file");
    writeFileSync(file, "");
    for (const temp of [file, join(folder, "missing")]) {
      const badTemp = await populationCli(["--input", "x", "--out", "y", "--temp-dir", temp]).done;
      expect(badTemp.code).toBe(2);
      expect(badTemp.stderr.split("\n")[0]).toBe(`--temp-dir must be an existing folder, got ${JSON.stringify(temp)}`);
    }
  }, 60_000);

  it("fails, after writing empty outputs, when the input holds no Patient resources", async () => {
    const small = simulatedPopulation(3, 4);
    rmSync(join(small.dir, "Patient.ndjson"));
    const out = tempDir("patella-job-no-patient-");
    const result = await populationCli(["--input", small.dir, "--out", out, "--index-date", INDEX_DATE, "--workers", "1"]).done;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: ${small.dir}: no Patient resources were read, so no patient could be scored`);
    expect(read(out, "high-risk.csv").trim().split("\n")).toHaveLength(1);
  }, 60_000);

  it("names a missing input folder", async () => {
    const out = join(tempDir(), "out");
    const result = await populationCli(["--input", "/nonexistent/patella", "--out", out]).done;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("/nonexistent/patella: no such folder");
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it("names an input folder without NDJSON or Bundle files, before writing anything", async () => {
    const empty = tempDir("patella-job-empty-input-");
    // Neither the ground truth nor a stray text file is input the readers read.
    const strays = tempDir("patella-job-stray-input-");
    writeFileSync(join(strays, "truth.ndjson"), "");
    writeFileSync(join(strays, "notes.txt"), "not FHIR\n");
    for (const dir of [empty, strays]) {
      const out = join(tempDir(), "out");
      const result = await populationCli(["--input", dir, "--out", out, "--index-date", INDEX_DATE, "--workers", "1"]).done;
      expect(result.code, dir).toBe(1);
      expect(result.stderr.trim().split("\n").at(-1)).toBe(`error: ${dir}: no FHIR NDJSON (*.ndjson) or Bundle (*.json) files`);
      expect(existsSync(out), dir).toBe(false);
    }
  }, 60_000);
});
