/**
 * What a run of `npm run features`, `npm run evaluate` or `npm run check:external` killed with
 * SIGKILL leaves in the OS temp folder is removed by the next run of any of them, and what a
 * running one uses is left alone (models/features/scratch-folder.ts). Real child processes, each
 * with TMPDIR set to a folder of the test's own: one, blocked on a FIFO, runs throughout; another is
 * killed once its scratch database (or its simulated cohort) exists, blocked on a FIFO truth.ndjson
 * (or with seconds of work still to do) so that it cannot finish first; then a third command runs.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { encounter, patient, writeNdjson } from "../population/fixtures.ts";

const REPO = join(import.meta.dirname, "../..");
const CLIS = {
  features: "models/features/cli.ts",
  evaluate: "models/evaluation/cli.ts",
  "check:external": "models/check-external.ts",
} as const;
type Cli = keyof typeof CLIS;

const folders: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function folder(prefix: string): string {
  const made = mkdtempSync(join(tmpdir(), prefix));
  folders.push(made);
  return made;
}

/** The command as node's own process (not tsx's launcher), so that the process killed is the one
 * that made the folders; TMPDIR is `tmp`. */
function start(cli: Cli, args: string[], tmp: string) {
  const child = spawn(process.execPath, ["--import", "tsx", join(REPO, CLIS[cli]), ...args], {
    cwd: REPO,
    env: { ...process.env, TMPDIR: tmp },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.resume();
  const done = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, done };
}

/** Runs a command to its end with TMPDIR `tmp`. */
function run(cli: Cli, args: string[], tmp: string) {
  const result = spawnSync(process.execPath, ["--import", "tsx", join(REPO, CLIS[cli]), ...args], {
    cwd: REPO,
    env: { ...process.env, TMPDIR: tmp },
    encoding: "utf8",
  });
  return { code: result.status, stderr: result.stderr };
}

/** What the commands leave in the temp folder (not, e.g., tsx's cache tsx-UID). */
const ours = (tmp: string) => readdirSync(tmp).filter((name) => /^(patella-|koa-eval-)/.test(name));

/** Paths under `dir` of the files called `name`. */
const filesNamed = (dir: string, name: string) =>
  readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((path) => basename(path) === name);

async function waitFor(what: string, holds: () => boolean, exited: Promise<unknown>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 90_000;
  while (!holds()) {
    if (gone) throw new Error(`the process ended before ${what}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A population directory of two patients, ordered by patient; with `truthFifo`, its truth.ndjson
 * is a FIFO nobody writes to: a command reading it blocks once its truth store exists. */
function population(truthFifo: boolean): string {
  const dir = folder("patella-test-leftover-in-");
  writeNdjson(dir, "Patient.ndjson", [patient("a", { birthDate: "1950-01-01" }), patient("b", { birthDate: "1951-01-01" })]);
  writeNdjson(dir, "Encounter.ndjson", [encounter("e1", "Patient/a", "2012-01-15"), encounter("e2", "Patient/b", "2016-06-30")]);
  if (truthFifo) mkfifo(join(dir, "truth.ndjson"));
  return dir;
}

function mkfifo(path: string): void {
  const made = spawnSync("mkfifo", [path]);
  if (made.status !== 0) throw new Error(`mkfifo ${path}: ${made.stderr}`);
}

/** A command that stays alive holding its scratch, started first in an empty `tmp`: features
 * blocked reading a FIFO truth.ndjson, once its truth store exists. Returns what it put in `tmp`. */
async function startLiveOne(tmp: string): Promise<string[]> {
  const live = start("features", ["--in", population(true), "--out", join(folder("patella-test-leftover-out-"), "f")], tmp);
  await waitFor("the running features' truth store", () => filesNamed(tmp, "truth.sqlite").length === 1, live.done);
  return ours(tmp);
}

/** Kills `run` with SIGKILL once `ready` holds; returns what it left in `tmp` beside `live`'s. */
async function killWhen(run: ReturnType<typeof start>, what: string, ready: () => boolean, tmp: string, live: string[]): Promise<string[]> {
  await waitFor(what, ready, run.done);
  run.child.kill("SIGKILL");
  expect((await run.done).signal).toBe("SIGKILL");
  const left = ours(tmp).filter((name) => !live.includes(name));
  expect(left.length, "kill -9 leaves the scratch behind").toBeGreaterThan(0);
  return left;
}

/** After `cleaner` ran: the killed run's folders are gone, the live one's are all there. */
function expectOnly(tmp: string, live: string[], killed: string[], cleaner: { code: number | null; stderr: string }): void {
  expect(cleaner.code, cleaner.stderr).toBe(0);
  expect(ours(tmp).sort()).toEqual([...live].sort());
  expect(filesNamed(tmp, "truth.sqlite"), "the running command's database").toHaveLength(1);
  expect(cleaner.stderr).toContain(`removed ${killed.length} temporary folder${killed.length === 1 ? "" : "s"} left in ${tmp} by runs no longer running`);
}

describe("what a killed command leaves in the OS temp folder", () => {
  it("features killed while reading the truth: removed by the next check:external, a running features kept", async () => {
    const tmp = folder("patella-test-leftover-tmp-");
    const live = await startLiveOne(tmp);
    const killedRun = start("features", ["--in", population(true), "--out", join(folder("patella-test-leftover-out-"), "f")], tmp);
    const killed = await killWhen(killedRun, "the truth store", () => filesNamed(tmp, "truth.sqlite").length === 2, tmp, live);
    expectOnly(tmp, live, killed, run("check:external", [population(false)], tmp));
  }, 180_000);

  it("check:external killed while spilling unordered NDJSON: removed by the next evaluate, a running features kept", async () => {
    const tmp = folder("patella-test-leftover-tmp-");
    const live = await startLiveOne(tmp);
    const dir = folder("patella-test-leftover-in-");
    writeNdjson(dir, "Patient.ndjson", [patient("a", { birthDate: "1950-01-01" }), patient("b", { birthDate: "1951-01-01" })]);
    // Not ordered by patient from the first two lines on (the dry run stops there), and long
    // enough that the spill, once its database exists, is still inserting for seconds when killed.
    // (A FIFO cannot hold it, as truth.ndjson's does: the NDJSON readers read at offsets.)
    const lines = Array.from({ length: 300_000 }, (_, i) => JSON.stringify(encounter(`e${i}`, i % 2 === 0 ? "Patient/b" : "Patient/a", "2012-01-15")));
    writeFileSync(join(dir, "Encounter.ndjson"), lines.join("\n") + "\n");
    const killedRun = start("check:external", [dir], tmp);
    const killed = await killWhen(killedRun, "the spill", () => filesNamed(tmp, "spill.sqlite").length === 1, tmp, live);
    const out = folder("patella-test-leftover-out-");
    expectOnly(tmp, live, killed, run("evaluate", ["--patients", "300", "--seed", "7", "--out", out], tmp));
  }, 180_000);

  it("evaluate killed while reading a cohort's truth: removed by the next features, a running features kept", async () => {
    const tmp = folder("patella-test-leftover-tmp-");
    const live = await startLiveOne(tmp);
    const killedRun = start("evaluate", ["--cohort", population(true), "--out", folder("patella-test-leftover-out-")], tmp);
    const killed = await killWhen(killedRun, "the truth store", () => filesNamed(tmp, "truth.sqlite").length === 2, tmp, live);
    expectOnly(tmp, live, killed, run("features", ["--in", population(false), "--out", join(folder("patella-test-leftover-out-"), "f")], tmp));
  }, 180_000);

  it("evaluate killed while simulating its cohort: removed by the next features, a running features kept", async () => {
    const tmp = folder("patella-test-leftover-tmp-");
    const live = await startLiveOne(tmp);
    const killedRun = start("evaluate", ["--patients", "50000", "--seed", "7", "--out", folder("patella-test-leftover-out-")], tmp);
    const killed = await killWhen(killedRun, "the simulated cohort", () => filesNamed(tmp, "Patient.ndjson").length === 1, tmp, live);
    expectOnly(tmp, live, killed, run("features", ["--in", population(false), "--out", join(folder("patella-test-leftover-out-"), "f")], tmp));
  }, 180_000);
});

describe("what an interrupted command leaves in the OS temp folder: nothing of its own", () => {
  it("ends the process with the shell's code for the signal when another listener would take it instead (it might not end the process)", async () => {
    const tmp = folder("patella-test-leftover-tmp-");
    const script = [
      `import { openScratchFolder } from ${JSON.stringify(join(REPO, "models/features/scratch-folder.ts"))};`,
      `process.on("SIGINT", () => {});`,
      `openScratchFolder("test", ${JSON.stringify(tmp)});`,
      `setInterval(() => {}, 1000);`,
    ].join("\n");
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: REPO, stdio: "ignore" });
    children.push(child);
    const done = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
    await waitFor("the scratch folder", () => ours(tmp).length === 1, done);
    child.kill("SIGINT");
    expect(await done).toEqual({ code: 130, signal: null });
    expect(ours(tmp)).toEqual([]);
  }, 60_000);


  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    it(`features stopped with ${signal} while reading the truth: its scratch removed at once, a running features' kept`, async () => {
      const tmp = folder("patella-test-leftover-tmp-");
      const live = await startLiveOne(tmp);
      const stopped = start("features", ["--in", population(true), "--out", join(folder("patella-test-leftover-out-"), "f")], tmp);
      await waitFor("the truth store", () => filesNamed(tmp, "truth.sqlite").length === 2, stopped.done);
      expect(ours(tmp).length).toBeGreaterThan(live.length);
      stopped.child.kill(signal);
      // Ended by the signal itself, as without the cleanup (a shell reports it as such).
      expect((await stopped.done).signal).toBe(signal);
      expect(ours(tmp).sort()).toEqual([...live].sort());
      expect(filesNamed(tmp, "truth.sqlite"), "the running command's database").toHaveLength(1);
    }, 180_000);
  }
});
