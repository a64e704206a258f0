/**
 * `npm run evaluate` as a command: started by a path through a symbolic link, refusing an --out it
 * could not write before any work, and writing its reports readable by their owner only (a site's
 * evaluation on its own patients is sensitive aggregate data, as the population job's summary.html
 * is), whatever the umask.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, lstatSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { USAGE } from "../../../models/evaluation/cli-args.ts";
import { LOCK_FILE, lockOut } from "../../../population/job/out-lock.ts";
import { tempDir } from "../../population/fixtures.ts";
import { useUmaskZero } from "../../support/umask-zero.ts";

const ROOT = path.join(import.meta.dirname, "../../..");
const work = tempDir("patella-test-evaluate-cli-");
useUmaskZero();
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `node --import tsx SCRIPT ARGS` from the repository, as `npm run evaluate` starts it, with an OS
 * temp folder of the test's own. */
function evaluate(script: string, args: string[]) {
  const tmp = path.join(work, "tmp");
  mkdirSync(tmp, { recursive: true });
  return spawnSync("node", ["--import", "tsx", script, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, TMPDIR: tmp } });
}
const CLI = path.join(ROOT, "models/evaluation/cli.ts");
const bits = (file: string) => (lstatSync(file).mode & 0o777).toString(8);

/** A cohort folder with nothing to evaluate: a run that reaches it fails there (exit 1). */
function notFhirCohort(): string {
  const cohort = path.join(work, "not-fhir");
  mkdirSync(cohort, { recursive: true });
  writeFileSync(path.join(cohort, "notes.json"), '{"foo": 1}\n');
  return cohort;
}

describe("npm run evaluate, started by a path through a symbolic link", () => {
  it("runs (it compared the link's path with its own real path, and silently did nothing)", () => {
    const link = path.join(work, "patella-link");
    symlinkSync(ROOT, link);
    const result = evaluate(path.join(link, "models/evaluation/cli.ts"), ["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(USAGE);
  });
});

describe("npm run evaluate --out", () => {
  it("refuses, before reading the cohort, an --out inside a file (the mistake showed only when the reports were written)", () => {
    const file = path.join(work, "a-file");
    writeFileSync(file, "");
    const result = evaluate(CLI, ["--cohort", notFhirCohort(), "--out", path.join(file, "reports")]);
    expect(result.stderr).toContain(`evaluate: --out: ${file} is not a folder`);
    expect(result.stderr).not.toContain("no eligible index dates");
    expect(result.status).toBe(2);
  });

  it("writes its reports 0600 and the --out it creates 0700 under umask 0, its missing parents as mkdir -p makes them", () => {
    const out = path.join(work, "new-parent", "reports");
    const result = evaluate(CLI, ["--patients", "300", "--seed", "5", "--out", out]);
    expect(result.status, result.stderr).toBe(0);
    const written = readdirSync(out).sort();
    expect(written).toEqual(["evaluation-report.json", "evaluation-report.md", "reliability.svg"]);
    expect(written.map((name) => `${name} ${bits(path.join(out, name))}`)).toEqual(written.map((name) => `${name} 600`));
    expect(bits(out)).toBe("700");
    expect(bits(path.dirname(out))).toBe("777");
  }, 120_000);

  it("leaves the mode of an --out that exists (a site may have set it up) and makes a report it overwrites 0600", () => {
    const out = path.join(work, "existing");
    mkdirSync(out);
    chmodSync(out, 0o755);
    writeFileSync(path.join(out, "evaluation-report.md"), "an earlier report\n");
    chmodSync(path.join(out, "evaluation-report.md"), 0o644);
    const result = evaluate(CLI, ["--patients", "300", "--seed", "5", "--out", out]);
    expect(result.status, result.stderr).toBe(0);
    expect(bits(out)).toBe("755");
    expect(bits(path.join(out, "evaluation-report.md"))).toBe("600");
  }, 120_000);
});

describe("npm run evaluate, two runs on one --out", () => {
  it("refuses the second at once, naming the lock file, before it touches the first's unfinished reports", () => {
    const out = path.join(work, "in-use");
    // Held by this process, as a running evaluate (or population job) holds it: the child is another process.
    const running = lockOut(out);
    try {
      writeFileSync(path.join(out, "evaluation-report.json.partial"), "the running evaluation's report, half written");
      const result = evaluate(CLI, ["--cohort", notFhirCohort(), "--out", out]);
      expect(result.status).toBe(1);
      expect(result.stderr.trim()).toBe(
        `evaluate: another run is using ${out} (it holds ${path.join(out, LOCK_FILE)}): wait for it to end, or use another --out. ` +
          "The lock goes when that process ends, however it ends; do not delete the file",
      );
      expect(readdirSync(out)).toContain("evaluation-report.json.partial");
    } finally {
      running.release();
    }
  });

  it("leaves no lock file, nor an --out it made, when it ends: the reports' folder holds the reports only", () => {
    const out = path.join(work, "failed-run", "reports");
    const failed = evaluate(CLI, ["--cohort", notFhirCohort(), "--out", out]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("no eligible index dates");
    expect(readdirSync(work)).not.toContain("failed-run");
  });
});
