/**
 * `npm run evaluate` replaces its three reports together: a run that fails while writing them
 * leaves an earlier run's reports in --out as they were, never a mix of new and old.
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

describe("npm run evaluate --out with an earlier run's reports", () => {
  it("leaves them as they were when the second report cannot be written", () => {
    const out = path.join(work, "reports");
    mkdirSync(out);
    writeFileSync(path.join(out, "evaluation-report.json"), "an earlier JSON report\n");
    writeFileSync(path.join(out, "evaluation-report.md"), "an earlier Markdown report\n");
    // The second report (written after evaluation-report.json) cannot be: a folder holds its name.
    mkdirSync(path.join(out, "reliability.svg"));
    const tmp = path.join(work, "tmp");
    mkdirSync(tmp, { recursive: true });
    const result = spawnSync("node", ["--import", "tsx", CLI, "--patients", "300", "--seed", "5", "--out", out], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, TMPDIR: tmp },
    });
    expect(result.status, result.stderr).toBe(1);
    expect(readFileSync(path.join(out, "evaluation-report.json"), "utf8")).toBe("an earlier JSON report\n");
    expect(readFileSync(path.join(out, "evaluation-report.md"), "utf8")).toBe("an earlier Markdown report\n");
    expect(readdirSync(out).sort()).toEqual(["evaluation-report.json", "evaluation-report.md", "reliability.svg"]);
    expect(result.stderr).toContain(`${path.join(out, "reliability.svg")} is a folder`);
  }, 120_000);
});
