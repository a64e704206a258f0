/**
 * The FHIR NDJSON files of a directory (Bulk Data style: one resource type per file, any
 * names ending .ndjson, several files per type allowed), told apart by their first resource.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { bundleFileLabel } from "./bundle-file-label.ts";
import { readNdjsonByteLines } from "./ndjson-byte-lines.ts";
import { isResource } from "./ndjson-lines.ts";

/** The name of the simulator's ground-truth file, which is not FHIR. */
export const TRUTH_FILE = "truth.ndjson";

/**
 * How many non-blank lines a file is given to show a FHIR resource before it may be taken for
 * something else. One bad first line must not hide a whole data file (it is a bad line, reported
 * or counted like any other); a file that is not data (a Bulk Data log.ndjson) has no resource
 * on any line, so ten lines tell the two apart at the cost of parsing at most ten lines a file.
 */
const SNIFF_LINES = 10;

/** Why a .json file next to .ndjson files is not read: the directory is one format or the other. */
const JSON_FILE_NOT_READ = "the folder is read as NDJSON (it has .ndjson files)";

export interface NdjsonDirectory {
  /** Files whose first resource is a Patient, in name order (Patient.000, Patient.001, ...). */
  patientFiles: string[];
  /** All other FHIR NDJSON files, in name order. */
  otherFiles: string[];
  /** The other files whose first resource is a Medication (Bulk Data: the Medication files). */
  medicationFiles: string[];
  /** Files not read (not FHIR NDJSON, or .json files), with why. */
  ignored: { file: string; reason: string }[];
}

/** Lists the .ndjson files of a directory (not truth.ndjson); empty lists when there are none. */
export async function listNdjsonFiles(dir: string): Promise<string[]> {
  return ndjsonNames(await readdir(dir));
}

/** Of a directory's file names, the NDJSON files the readers read. */
export const ndjsonNames = (names: readonly string[]): string[] => names.filter((name) => name.endsWith(".ndjson") && name !== TRUTH_FILE).sort();

/**
 * What a file's first SNIFF_LINES non-blank lines show: a FHIR resource (the first one's type),
 * JSON objects but no resource ("not-fhir": e.g. a Bulk Data log), neither ("not-json": text,
 * broken or too long lines, read as data so that its bad lines are reported), or no line at all.
 * Only JSON objects count as a sign of other data (a log's lines are objects); a number or an
 * array on a line is just a bad line.
 */
export type FileKind = { kind: "resource"; resourceType: string } | { kind: "not-fhir" | "not-json" | "empty" };

export async function sniffNdjsonFile(file: string): Promise<FileKind> {
  let lines = 0;
  let sawJsonObject = false;
  for await (const { bytes } of readNdjsonByteLines(file)) {
    const value = bytes === null ? undefined : parseOrUndefined(bytes.toString("utf8"));
    if (isResource(value)) return { kind: "resource", resourceType: value.resourceType };
    if (typeof value === "object" && value !== null && !Array.isArray(value)) sawJsonObject = true;
    lines += 1;
    // Leaving the loop early closes the file.
    if (lines === SNIFF_LINES) break;
  }
  if (lines === 0) return { kind: "empty" };
  return { kind: sawJsonObject ? "not-fhir" : "not-json" };
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function scanNdjsonDirectory(dir: string): Promise<NdjsonDirectory> {
  const result: NdjsonDirectory = { patientFiles: [], otherFiles: [], medicationFiles: [], ignored: [] };
  // One listing for both kinds of file.
  const names = await readdir(dir);
  for (const name of ndjsonNames(names)) {
    const first = await sniffNdjsonFile(join(dir, name));
    // Only a file that shows JSON objects but no resource is taken for something other than data;
    // a file of lines that are not JSON is read, so that each of them is reported (or counted).
    if (first.kind === "empty") result.ignored.push({ file: name, reason: "empty" });
    else if (first.kind === "not-fhir") result.ignored.push({ file: name, reason: `no FHIR resource in its first ${SNIFF_LINES} lines` });
    else if (first.kind === "resource" && first.resourceType === "Patient") result.patientFiles.push(join(dir, name));
    else {
      result.otherFiles.push(join(dir, name));
      if (first.kind === "resource" && first.resourceType === "Medication") result.medicationFiles.push(join(dir, name));
    }
  }
  // Listed, so that Bundles dropped into an export folder do not vanish without a word.
  for (const name of names.filter((n) => n.endsWith(".json")).sort()) result.ignored.push({ file: bundleFileLabel(name), reason: JSON_FILE_NOT_READ });
  return result;
}
