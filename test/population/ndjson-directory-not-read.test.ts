/**
 * What a population folder holds besides the files it reads: the same knee OA Condition saved as
 * `Condition.NDJSON` (read), `Condition2.ndjson.gz`, `Condition3.jsonl` and in a subfolder (each
 * listed as not read, in the reader's stats and in summary.html), never silently left out.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { expectedPatients } from "../../population/expected-patients.ts";
import { NO_INPUT_FILES } from "../../population/input-error.ts";
import { inputFingerprint } from "../../population/job/input-fingerprint.ts";
import { openPopulation } from "../../population/read-population.ts";
import { condition, patient, readAll, summarise, tempDir, writeNdjson } from "./fixtures.ts";
import { read, scorePopulation } from "./job/job-fixtures.ts";

/** Osteoarthritis of knee (SNOMED CT), before the job's index date: the patient is already diagnosed. */
const KNEE_OA = "239873007";
const kneeOa = (id: string) => condition(id, "Patient/p1", KNEE_OA, "2020-03-01");
const line = (id: string) => `${JSON.stringify(kneeOa(id))}\n`;

const FOLDER = "a folder: not read (files in subfolders are not read)";
const NOT_READ = [
  { file: "Condition2.ndjson.gz", reason: "compressed (.gz): not read; decompress it first" },
  { file: "Condition3.jsonl", reason: "not an .ndjson file (.jsonl): rename it .ndjson to read it" },
  // `printf %s more | sha256sum`: a folder's name may be a patient's.
  { file: "folder whose name's SHA-256 begins 187897ce0afc", reason: FOLDER },
];

/** The probe's folder: Patient.ndjson, and the same knee OA Condition in four places. */
function probeFolder(): string {
  const dir = tempDir();
  writeNdjson(dir, "Patient.ndjson", [patient("p1")]);
  writeFileSync(join(dir, "Condition.NDJSON"), line("c1"));
  writeFileSync(join(dir, "Condition2.ndjson.gz"), gzipSync(line("c2")));
  writeFileSync(join(dir, "Condition3.jsonl"), line("c3"));
  mkdirSync(join(dir, "more"));
  writeFileSync(join(dir, "more", "Condition.ndjson"), line("c4"));
  return dir;
}

/** The rows of summary.html's "Files not read" table, unescaped. */
function filesNotRead(html: string): { file: string; reason: string }[] {
  const table = /<p>Files not read:<\/p><table>.*?<tbody>(.*?)<\/tbody><\/table>/s.exec(html)?.[1] ?? "";
  const text = (cell: string) => cell.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
  return [...table.matchAll(/<tr><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g)].map(([, file, reason]) => ({ file: text(file!), reason: text(reason!) }));
}

describe("an NDJSON folder with files of other extensions and a subfolder", () => {
  it("reads Condition.NDJSON into the patient's record and lists the others as files not read", async () => {
    const { records, stats } = await readAll(probeFolder());
    expect(summarise(records)).toEqual({ p1: ["Patient/p1", "Condition/c1"] });
    expect(stats.resourcesByType).toEqual({ Patient: 1, Condition: 1 });
    expect(stats.ignoredFiles).toEqual(NOT_READ);
  });

  it("is read by the population job, which does not score the diagnosed patient and lists the others in summary.html", async () => {
    const out = tempDir("patella-job-not-read-");
    const result = await scorePopulation(probeFolder(), out);
    expect({ patients: result.patients, scored: result.scored }).toEqual({ patients: 1, scored: 0 });
    const html = read(out, "summary.html");
    expect(html).toContain("<td>already diagnosed</td>");
    expect(filesNotRead(html)).toEqual(NOT_READ);
  }, 60_000);
});

describe("a folder whose only NDJSON files have an upper-case extension", () => {
  function upperCaseFolder(): string {
    const dir = tempDir();
    writeNdjson(dir, "Patient.NDJSON", [patient("p1"), patient("p2")]);
    writeFileSync(join(dir, "Condition.NDJSON"), line("c1"));
    return dir;
  }

  it("is read as NDJSON by the reader, the progress bar's estimate and the job's input check alike", async () => {
    const dir = upperCaseFolder();
    const { records, stats } = await readAll(dir);
    expect(stats.format).toBe("ndjson");
    expect(summarise(records)).toEqual({ p1: ["Patient/p1", "Condition/c1"], p2: ["Patient/p2"] });
    expect(await expectedPatients(dir)).toBe(2);
    await expect(inputFingerprint(dir)).resolves.toMatch(/^[0-9a-f]{64}$/);
  });

  it("is still refused when its only data is compressed, before anything is read", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "Patient.ndjson.gz"), gzipSync(`${JSON.stringify(patient("p1"))}\n`));
    await expect(inputFingerprint(dir)).rejects.toThrow(NO_INPUT_FILES);
    await expect(openPopulation(dir)).rejects.toThrow(NO_INPUT_FILES);
    expect(await expectedPatients(dir)).toBeNull();
  });
});
