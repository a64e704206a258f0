import { spawnSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encounter, patient, tempDir, writeNdjson } from "../../population/fixtures.ts";

const CLI = join(import.meta.dirname, "../../../models/features/cli.ts");
const TSX = join(import.meta.dirname, "../../../node_modules/.bin/tsx");

// An OS temp folder of the test's own: what other runs left in the machine's would be removed at
// start with a line on stderr (models/features/scratch-folder.ts).
const TMP = tempDir("patella-test-features-cli-tmp-");
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

function run(...args: string[]) {
  const result = spawnSync(TSX, [CLI, ...args], { encoding: "utf8", env: { ...process.env, TMPDIR: TMP } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run features", () => {
  it("prints its usage, explaining every option, for --help and exits 0", () => {
    const help = run("--help");
    expect(help.code).toBe(0);
    for (const option of ["--in", "--out", "--skip-bad-lines", "--max-index-dates", "--min-age", "--help"]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${option}[ ,]`, "m"));
    }
  });

  it("prints usage and exits 2 on bad arguments", () => {
    const missing = run("--in", "x");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--in and --out are required\nusage: npm run features -- --in DIR --out PREFIX");
    expect(run("--in", "x", "--out", "y", "--max-index-dates", "two").stderr).toContain(
      '--max-index-dates must be a non-negative integer, got "two"',
    );
    expect(run("--bogus").code).toBe(2);
  });

  it("refuses an --out whose folder does not exist, naming the option and the folder, before reading any input (exit 2)", () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("a", { birthDate: "1960-01-01" })]);
    const missing = join(tempDir(), "no-such-folder");
    const result = run("--in", dir, "--out", join(missing, "x"));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--out: the output folder ${missing} does not exist; create it first\nusage: npm run features`);
    expect(existsSync(missing)).toBe(false);
    // Before the input is read: a missing --in is not what it reports.
    const both = run("--in", "/nonexistent-patella-dir", "--out", join(missing, "x"));
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(`the output folder ${missing} does not exist`);
    expect(both.stderr).not.toContain("nonexistent-patella-dir");
    const file = join(tempDir(), "a-file");
    writeFileSync(file, "");
    expect(run("--in", dir, "--out", join(file, "x")).stderr).toContain(`--out: ${file} is not a folder`);
  });

  it("names the problem and exits 1 on a bad directory", () => {
    const result = run("--in", "/nonexistent-patella-dir", "--out", join(tempDir(), "o"));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("error: /nonexistent-patella-dir: no such folder\n");
  });

  it("writes the files and a summary with rows per second", () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("a", { birthDate: "1960-01-01" })]);
    writeNdjson(dir, "Encounter.ndjson", [encounter("e1", "Patient/a", "2010-01-15"), encounter("e2", "Patient/a", "2016-06-30")]);
    const prefix = join(tempDir(), "out");
    const result = run("--in", dir, "--out", prefix);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/from index-date policy \(ndjson, merge-join\)/);
    expect(result.stdout).toMatch(/patients 1, index dates 3, rows 3 \(positive 0\), ineligible 0 \{\}/);
    expect(result.stdout).toMatch(/\d+ rows\/s/);
    expect(existsSync(`${prefix}.sequence.npy`)).toBe(true);
  });
});
