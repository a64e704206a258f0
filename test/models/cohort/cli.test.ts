import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parseCohortArgs } from "../../../models/cohort/cohort-args.ts";
import { COHORT_FILES } from "../../../models/cohort/cohort-writer.ts";
import { parseFhirDay } from "../../../shared/fhir-dates.ts";

const run = promisify(execFile);
const CLI = join(import.meta.dirname, "../../../models/cohort/cli.ts");
const dir = mkdtempSync(join(tmpdir(), "patella-cohort-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("cohort command line", () => {
  it("reads its options and names what is wrong", () => {
    const { plan, out } = parseCohortArgs(["--patients", "10", "--seed", "4", "--out", "x", "--end-date", "2020-02-29"]);
    expect(plan).toEqual({ patients: 10, seed: 4, endDay: parseFhirDay("2020-02-29") });
    expect(out).toBe("x");
    expect(parseCohortArgs(["--patients", "1", "--seed", "0", "--out", "x", "--workers", "3"]).workers).toBe(3);
    expect(() => parseCohortArgs(["--patients", "1", "--seed", "0", "--out", "x", "--workers", "0"])).toThrow(/--workers must be between 1 and 64/);
    expect(parseCohortArgs(["--patients", "1", "--seed", "0", "--out", "x"]).plan.endDay).toBe(parseFhirDay("2025-12-31"));
    expect(() => parseCohortArgs(["--seed", "1", "--out", "x"])).toThrow("--patients is required");
    expect(() => parseCohortArgs(["--patients=-3", "--seed", "1", "--out", "x"])).toThrow(/--patients must be a whole number/);
    expect(() => parseCohortArgs(["--patients", "3", "--seed", "1.5", "--out", "x"])).toThrow(/--seed must be a whole number/);
    expect(() => parseCohortArgs(["--patients", "3", "--seed", "99999999999", "--out", "x"])).toThrow(/seed must be a whole number in \[0, 4294967295\]/);
    expect(() => parseCohortArgs(["--patients", "3", "--seed", "1"])).toThrow("--out is required");
    expect(() => parseCohortArgs(["--patients", "3", "--seed", "1", "--out", "x", "--end-date", "2021-02-29"])).toThrow(/calendar date/);
    expect(() => parseCohortArgs(["--patients", "3", "--seed", "1", "--out", "x", "--bogus", "1"])).toThrow(/bogus/);
  });

  it("writes every file and prints the throughput", async () => {
    const out = join(dir, "c");
    const { stdout } = await run(process.execPath, ["--import", "tsx", CLI, "--patients", "30", "--seed", "8", "--out", out, "--workers", "2"]);
    expect(readdirSync(out).sort()).toEqual([...COHORT_FILES].sort());
    expect(readFileSync(join(out, "truth.ndjson"), "utf8").trimEnd().split("\n")).toHaveLength(30);
    expect(readFileSync(join(out, "Patient.ndjson"), "utf8").trimEnd().split("\n")).toHaveLength(30);
    expect(stdout).toMatch(/30 patients in [\d.]+ s with 2 worker\(s\): \d+ patients\/s/);
    expect(stdout).toMatch(/not validated for clinical use/);
  });

  it("exits with 2 and the usage on bad arguments", async () => {
    const failure = await run(process.execPath, ["--import", "tsx", CLI, "--patients", "ten", "--seed", "1", "--out", dir]).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(/--patients must be a whole number, got "ten"/);
    expect(failure?.stderr).toMatch(/usage: npm run cohort/);
  });

  it("prints its usage, explaining every option, for --help and exits 0", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", CLI, "--help"]);
    for (const option of ["--patients", "--seed", "--out", "--end-date", "--workers", "--help"]) expect(stdout).toMatch(new RegExp(`^  ${option}[ ,]`, "m"));
  });
});
