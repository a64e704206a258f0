/**
 * `npm run evaluate` replaces its three reports together: a run that fails while writing them
 * leaves an earlier run's reports in --out as they were, never a mix of new and old; the
 * unfinished reports a run killed while writing them left (`NAME.partial`) go when the next starts.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../../population/fixtures.ts";

const ROOT = path.join(import.meta.dirname, "../../..");
const CLI = path.join(ROOT, "models/evaluation/cli.ts");
const work = tempDir("patella-test-evaluate-reports-");
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `npm run evaluate ARGS`, with an OS temp folder of the test's own. */
function evaluate(args: string[]) {
  const tmp = path.join(work, "tmp");
  mkdirSync(tmp, { recursive: true });
  return spawnSync("node", ["--import", "tsx", CLI, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, TMPDIR: tmp } });
}

describe("npm run evaluate --out with an earlier run's reports", () => {
  it("leaves them as they were when the second report cannot be written", () => {
    const out = path.join(work, "reports");
    mkdirSync(out);
    writeFileSync(path.join(out, "evaluation-report.json"), "an earlier JSON report\n");
    writeFileSync(path.join(out, "evaluation-report.md"), "an earlier Markdown report\n");
    // The second report (written after evaluation-report.json) cannot be: a folder holds its name.
    mkdirSync(path.join(out, "reliability.svg"));
    const result = evaluate(["--patients", "300", "--seed", "5", "--out", out]);
    expect(result.status, result.stderr).toBe(1);
    expect(readFileSync(path.join(out, "evaluation-report.json"), "utf8")).toBe("an earlier JSON report\n");
    expect(readFileSync(path.join(out, "evaluation-report.md"), "utf8")).toBe("an earlier Markdown report\n");
    expect(readdirSync(out).sort()).toEqual(["evaluation-report.json", "evaluation-report.md", "reliability.svg"]);
    expect(result.stderr).toContain(`${path.join(out, "reliability.svg")} is a folder`);
  }, 120_000);
});

describe("npm run evaluate --out with the unfinished reports of a run killed while writing them", () => {
  it("removes them when it starts, says so, and leaves every other file of --out", () => {
    const out = path.join(work, "killed-while-writing");
    mkdirSync(out);
    // As kill -9 between the writes leaves them, beside the earlier run's reports.
    writeFileSync(path.join(out, "evaluation-report.json"), "an earlier JSON report\n");
    writeFileSync(path.join(out, "evaluation-report.json.partial"), '{"cut short');
    writeFileSync(path.join(out, "reliability.svg.partial"), "<svg");
    // Not this command's: another name, and a folder under one of its names.
    writeFileSync(path.join(out, "notes.md.partial"), "someone's notes\n");
    mkdirSync(path.join(out, "evaluation-report.md.partial"));
    // A cohort with nothing to evaluate: the run fails after its start, before writing anything.
    const cohort = path.join(work, "not-fhir");
    mkdirSync(cohort, { recursive: true });
    writeFileSync(path.join(cohort, "notes.json"), '{"foo": 1}\n');
    const result = evaluate(["--cohort", cohort, "--out", out]);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain(`evaluate: removed evaluation-report.json.partial and reliability.svg.partial from ${out}: unfinished files of a run stopped while writing them`);
    expect(readdirSync(out).sort()).toEqual(["evaluation-report.json", "evaluation-report.md.partial", "notes.md.partial"]);
    expect(readFileSync(path.join(out, "evaluation-report.json"), "utf8")).toBe("an earlier JSON report\n");
  }, 120_000);

  it("says nothing of them when there are none", () => {
    const out = path.join(work, "no-partial");
    mkdirSync(out);
    const result = evaluate(["--cohort", path.join(work, "not-fhir"), "--out", out]);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).not.toContain("unfinished files");
  }, 120_000);
});
