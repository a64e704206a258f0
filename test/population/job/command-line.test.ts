/**
 * `npm run population` refusing what it cannot run with a usage message (exit 2) that says what
 * is wrong, and saying, when Ctrl-C stops it, what it kept and how to resume.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { STATE_FILE } from "../../../population/job/checkpoint.ts";
import { tempDir } from "../fixtures.ts";
import { INDEX_DATE, killPopulationCliWhen, populationCli, simulatedPopulation } from "./job-fixtures.ts";

/** The first line of a refused command's stderr (the usage text follows), and its exit code. */
async function refusal(args: string[]) {
  const { code, stderr } = await populationCli(args).done;
  return { code, message: stderr.split("\n")[0] };
}

describe("the population command line refuses", () => {
  it("an --out that is a file, before anything is read", async () => {
    const file = join(tempDir("patella-cli-out-file-"), "a-file");
    writeFileSync(file, "");
    expect(await refusal(["--input", tempDir(), "--out", file])).toEqual({ code: 2, message: `--out: ${file} is not a folder` });
    expect(await refusal(["merge", tempDir(), "--out", file])).toEqual({ code: 2, message: `--out: ${file} is not a folder` });
  }, 60_000);

  it("--input and --fhir together, which exclude each other, and neither", async () => {
    const both = ["--input", "x", "--fhir", "https://ehr.example/fhir", "--client-id", "c", "--key", "k", "--out", "y"];
    expect(await refusal(both)).toEqual({ code: 2, message: "--input and --fhir exclude each other: give one, the folder or the FHIR server" });
    expect(await refusal(["--out", "y"])).toEqual({ code: 2, message: "--out and one of --input or --fhir are required" });
  }, 60_000);

  it("--top 0, which would list nobody", async () => {
    expect(await refusal(["--input", "x", "--out", "y", "--top", "0"])).toEqual({ code: 2, message: "--top must be at least 1" });
    expect(await refusal(["merge", "x", "--out", "y", "--top", "0"])).toEqual({ code: 2, message: "--top must be at least 1" });
  }, 60_000);
});

describe("Ctrl-C", () => {
  it("ends the run as SIGINT does, with one line on stderr saying what is kept and how to resume", async () => {
    const input = simulatedPopulation(300, 3).dir;
    const out = tempDir("patella-cli-sigint-");
    const stored = () => {
      if (!existsSync(join(out, STATE_FILE))) return 0;
      const db = new Database(join(out, STATE_FILE), { readonly: true });
      try {
        return db.prepare("SELECT count(*) FROM patient").pluck().get() as number;
      } catch {
        return 0;
      } finally {
        db.close();
      }
    };
    const args = ["--input", input, "--out", out, "--index-date", INDEX_DATE, "--workers", "1", "--batch-size", "8"];
    const run = await killPopulationCliWhen(args, () => stored() > 0, 50, "SIGINT");
    expect(run.signal).toBe("SIGINT");
    expect(run.stderr.trim().split("\n").at(-1)).toBe(
      `interrupted: the patients scored so far are kept in ${out}; run the same command again to resume`,
    );
  }, 120_000);
});
