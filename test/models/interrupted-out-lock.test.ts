/**
 * `npm run evaluate` and `npm run recalibrate` stopped by Ctrl-C (SIGINT) or SIGTERM: they leave
 * --out as a run that ends does, without the `run.lock` they made (and without the --out, and
 * its missing parents, when they made it and wrote nothing there), and end as the signal does.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { constants } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulateCohortTo } from "../../models/evaluation/simulate-cohort.ts";
import { LOCK_FILE } from "../../population/job/out-lock.ts";
import { tempDir } from "../population/fixtures.ts";

const ROOT = join(import.meta.dirname, "../..");
const work = tempDir("patella-test-interrupted-lock-");
let cohort: string;

beforeAll(async () => {
  cohort = join(work, "cohort");
  await simulateCohortTo(cohort, 300, 7);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The exit status a shell gives a process: its code, or 128 + the number of the signal that ended it. */
const shellStatus = (code: number | null, signal: NodeJS.Signals | null) => code ?? 128 + constants.signals[signal!];

/** `node --import tsx CLI --cohort COHORT --out OUT`, as the npm script starts it, sent `signal`
 * once OUT/run.lock exists and the run, past it, has made its scratch folder (in an OS temp folder
 * of its own, which the test then finds empty: both cleanups ran). */
async function interruptOnceLocked(cli: string, out: string, signal: NodeJS.Signals) {
  const tmp = mkdtempSync(join(work, "tmp-"));
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, cli), "--cohort", cohort, "--out", out], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, TMPDIR: tmp },
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
  let exited = false;
  void ended.then(() => (exited = true));
  // tsx keeps its cache there too.
  const scratch = () => readdirSync(tmp).filter((name) => name.startsWith("patella-scratch-"));
  const working = () => existsSync(join(out, LOCK_FILE)) && scratch().length > 0;
  while (!working() && !exited) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(exited, `ended before it was interrupted: ${stderr}`).toBe(false);
  child.kill(signal);
  const { code, signal: endedBy } = await ended;
  expect(scratch(), "the scratch folder").toEqual([]);
  return { status: shellStatus(code, endedBy), stderr };
}

describe.each([
  ["evaluate", "models/evaluation/cli.ts"],
  ["recalibrate", "models/recalibration/cli.ts"],
])("npm run %s interrupted", (name, cli) => {
  it("by Ctrl-C, into an --out it made: leaves no --out, nor the parent it made, and exits 130", async () => {
    const out = join(work, `${name}-new-parent`, "out");
    const run = await interruptOnceLocked(cli, out, "SIGINT");
    expect(run.status, run.stderr).toBe(130);
    expect(existsSync(dirname(out))).toBe(false);
  }, 120_000);

  it("by SIGTERM, into an --out that exists: leaves it as it was, without the run.lock it made, and exits 143", async () => {
    const out = join(work, `${name}-existing`);
    mkdirSync(out);
    writeFileSync(join(out, "notes.txt"), "a site's notes\n");
    const run = await interruptOnceLocked(cli, out, "SIGTERM");
    expect(run.status, run.stderr).toBe(143);
    expect(readdirSync(out)).toEqual(["notes.txt"]);
  }, 120_000);
});
