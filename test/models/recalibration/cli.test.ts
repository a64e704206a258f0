/**
 * npm run recalibrate end to end on a simulated FHIR cohort whose baseline risk is shifted: the
 * truth keeps every case but only 1 in 10 index dates without one, so the outcome odds are 10
 * times what the model (trained on the unshifted simulator) says. The cohort has a few dozen
 * cases: the intercept-only method fits (a shift of the odds is what it corrects), O/E on the
 * held-out patients must move toward 1, and the written model must load and carry its
 * provenance; the logistic method, which needs 100 cases to estimate a slope, is refused.
 */
import { spawnSync } from "node:child_process";
import { lstatSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TruthRecord } from "../../../models/cohort/truth.ts";
import { simulateCohortTo } from "../../../models/evaluation/simulate-cohort.ts";
import { parseRecalibrateArgs, RECALIBRATE_OPTIONS, USAGE } from "../../../models/recalibration/cli-args.ts";
import { LOCK_FILE, lockOut } from "../../../population/job/out-lock.ts";
import type { RecalibrationReport } from "../../../models/recalibration/recalibration-report.ts";
import { readOnnxMetadata } from "../../../shared/inference/index.ts";
import { useUmaskZero } from "../../support/umask-zero.ts";

const ROOT = path.join(import.meta.dirname, "../../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const CLI = path.join(ROOT, "models/recalibration/cli.ts");
const run = (...args: string[]) => spawnSync(TSX, [CLI, ...args], { encoding: "utf8", cwd: ROOT });
const runIn = (tmp: string, ...args: string[]) => spawnSync(TSX, [CLI, ...args], { encoding: "utf8", cwd: ROOT, env: { ...process.env, TMPDIR: tmp } });
const bits = (file: string) => (lstatSync(file).mode & 0o777).toString(8);

describe("npm run recalibrate", () => {
  let dir: string;
  let out: string;
  useUmaskZero();
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "patella-recal-cohort-"));
    out = await mkdtemp(path.join(os.tmpdir(), "patella-recal-out-"));
    await simulateCohortTo(dir, 1500, 31);
    const truthFile = path.join(dir, "truth.ndjson");
    const lines = (await readFile(truthFile, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as TruthRecord);
    let k = 0;
    const shifted = lines.map((t) => ({ ...t, indexDates: t.indexDates.filter((d) => d.outcome1y || k++ % 10 === 0) }));
    await writeFile(truthFile, shifted.map((t) => JSON.stringify(t)).join("\n") + "\n");
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  });

  it("refits the calibration, moves held-out O/E toward 1, and writes a model that says what was done, owner-only under umask 0", async () => {
    // A temp folder holding what a run killed two days ago by an older version left (no owner file).
    const tmp = await mkdtemp(path.join(os.tmpdir(), "patella-recal-tmp-"));
    const leftover = path.join(tmp, "patella-truth-killed");
    await mkdir(leftover);
    await writeFile(path.join(leftover, "truth.sqlite"), "x");
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    await utimes(path.join(leftover, "truth.sqlite"), twoDaysAgo, twoDaysAgo);
    await utimes(leftover, twoDaysAgo, twoDaysAgo);
    // A --out the run creates: 0700, and every file in it 0600 (a site's model and figures on its own patients).
    const site = path.join(out, "site");
    const result = runIn(tmp, "--cohort", dir, "--out", site, "--holdout", "0.4", "--method", "intercept");
    expect(result.stderr).not.toMatch(/Error|error:/);
    expect(result.status).toBe(0);
    // The leftover removed, and this run's own scratch (its spill and truth store) gone with it.
    expect(result.stderr).toContain(`recalibrate: removed 1 temporary folder left in ${tmp}`);
    // (tsx and matplotlib keep their own files there.)
    expect((await readdir(tmp)).filter((name) => name.startsWith("patella-"))).toEqual([]);
    await rm(tmp, { recursive: true, force: true });
    expect(result.stdout).toMatch(/recalibrate: intercept fit on \d+ patients/);
    const written = (await readdir(site)).sort();
    expect(written).toEqual(["deep-koa.onnx", "recalibration-report.json", "recalibration-report.md", "reliability.svg"]);
    expect(written.map((name) => `${name} ${bits(path.join(site, name))}`)).toEqual(written.map((name) => `${name} 600`));
    expect(bits(site)).toBe("700");
    const report = JSON.parse(await readFile(path.join(site, "recalibration-report.json"), "utf8")) as RecalibrationReport;
    const h = report.result.holdout;
    expect(h.cases).toBeGreaterThan(0);
    expect(h.verdictBefore.observedExpected).toBeGreaterThan(3);
    expect(Math.abs(h.verdictAfter.observedExpected! - 1)).toBeLessThan(Math.abs(h.verdictBefore.observedExpected! - 1) / 2);
    const props = readOnnxMetadata(new Uint8Array(await readFile(path.join(site, "deep-koa.onnx"))));
    expect(JSON.parse(props["recalibration"]!)).toMatchObject({ method: "intercept", slope: 1, fittedOn: { cohort: path.basename(dir) } });
    expect(report.result.recalibration).toMatchObject({ method: "intercept", slope: 1 });
    // One shift of every logit keeps the order of the risks: the held-out AUROC is the same.
    expect(h.after.auroc!.estimate).toBeCloseTo(h.before.auroc!.estimate, 12);
    const md = await readFile(path.join(site, "recalibration-report.md"), "utf8");
    expect(md).toMatch(/Method: intercept; logit\(new risk\) = -?\d+\.\d{4} \+ logit\(network risk\)/);
    expect(md).toContain("the mapping keeps the order of the risks, so the AUROC does not change");
    expect(md).toContain("## Held-out patients, before and after");
    expect(md).toContain("![reliability before and after](reliability.svg)");
  }, 180_000);

  it("refuses the logistic method (the default) on the same few cases, names the intercept-only method, and writes nothing", async () => {
    const site = path.join(out, "logistic-refused");
    const result = run("--cohort", dir, "--out", site, "--holdout", "0.4");
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`recalibrate: ${dir}: cannot recalibrate: logistic recalibration needs at least 100 cases in the fit split, found \\d+; use --method intercept`));
    expect(await readdir(site).catch(() => [])).toEqual([]);
  }, 120_000);

  it("explains every option for --help, and refuses bad arguments with its usage", () => {
    for (const option of Object.keys(RECALIBRATE_OPTIONS)) expect(USAGE).toMatch(new RegExp(`^  --${option}\\b`, "m"));
    const help = run("--help");
    expect(help.status).toBe(0);
    expect(help.stdout.trim()).toBe(USAGE);
    const bad = run("--cohort", "x");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--cohort and --out are required");
    expect(run("--cohort", "x", "--out", "y", "--method", "spline").stderr).toContain("--method must be intercept, logistic or isotonic");
    expect(parseRecalibrateArgs(["--cohort", "c", "--out", "o", "--method", "intercept"]).method).toBe("intercept");
  });

  it("removes, and names, the unfinished model and reports a run killed while writing them left, when the next run starts", async () => {
    const killed = path.join(out, "killed-while-writing");
    await mkdir(killed);
    await writeFile(path.join(killed, "deep-koa.onnx.partial"), "half a model");
    await writeFile(path.join(killed, "recalibration-report.md.partial"), "# cut short");
    // Not this command's: another name, and a folder under one of its names.
    await writeFile(path.join(killed, "notes.md.partial"), "someone's notes\n");
    await mkdir(path.join(killed, "reliability.svg.partial"));
    // A cohort with no FHIR in it: the run fails after its start, before writing anything.
    const notFhir = path.join(out, "not-fhir");
    await mkdir(notFhir);
    await writeFile(path.join(notFhir, "notes.json"), '{"foo": 1}\n');
    const result = run("--cohort", notFhir, "--out", killed);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain(`recalibrate: removed deep-koa.onnx.partial and recalibration-report.md.partial from ${killed}: unfinished files of a run stopped while writing them`);
    expect((await readdir(killed)).sort()).toEqual(["notes.md.partial", "reliability.svg.partial"]);
  }, 120_000);

  it("refuses a second run on the same --out at once, naming the lock file, before it touches the first's unfinished files", async () => {
    const busy = path.join(out, "in-use");
    // Held by this process, as a running recalibrate (or evaluate, or population job) holds it.
    const running = lockOut(busy);
    try {
      await writeFile(path.join(busy, "deep-koa.onnx.partial"), "the running fit's model, half written");
      const result = run("--cohort", path.join(out, "no-such-cohort"), "--out", busy);
      expect(result.status).toBe(1);
      expect(result.stderr.trim()).toBe(
        `recalibrate: another run is using ${busy} (it holds ${path.join(busy, LOCK_FILE)}): wait for it to end, or use another --out. ` +
          "The lock goes when that process ends, however it ends; do not delete the file",
      );
      expect(await readdir(busy)).toContain("deep-koa.onnx.partial");
    } finally {
      running.release();
    }
    // A failed run leaves neither the lock file nor an --out it made.
    const made = path.join(out, "made-by-a-failed-run", "site");
    expect(run("--cohort", path.join(out, "no-such-cohort"), "--out", made).status).toBe(1);
    expect(await readdir(out)).not.toContain("made-by-a-failed-run");
  });

  it("refuses, before reading the cohort, an --out it could not write and the model's own folder (both showed only after the fit)", async () => {
    const file = path.join(out, "a-file");
    await writeFile(file, "");
    const missingCohort = path.join(out, "no-such-cohort");
    const inFile = run("--cohort", missingCohort, "--out", path.join(file, "site"));
    expect(inFile.stderr).toContain(`recalibrate: --out: ${file} is not a folder`);
    expect(inFile.status).toBe(2);
    const ownFolder = run("--cohort", missingCohort, "--out", path.join(ROOT, "models/deep-koa"));
    expect(ownFolder.stderr).toContain("--out must not be the model's own directory");
    expect(ownFolder.status).toBe(2);
    expect(() => parseRecalibrateArgs(["--cohort", "c", "--out", "models/deep-koa/"])).toThrow("--out must not be the model's own directory");
    // Nor by a link to it: the recalibrated model would replace the shipped one through the link.
    const link = path.join(out, "link-to-model");
    await symlink(path.join(ROOT, "models/deep-koa"), link);
    expect(() => parseRecalibrateArgs(["--cohort", "c", "--out", link])).toThrow("--out must not be the model's own directory");
    // Nor the model's folder when --model is a link to the model file.
    const modelLink = path.join(out, "linked-model.onnx");
    await symlink(path.join(ROOT, "models/deep-koa/deep-koa.onnx"), modelLink);
    expect(() => parseRecalibrateArgs(["--cohort", "c", "--model", modelLink, "--out", path.join(ROOT, "models/deep-koa")])).toThrow("--out must not be the model's own directory");
  });
});
