/**
 * The FHIR NDJSON files of a directory (Bulk Data style: one resource type per file, any
 * names ending .ndjson in any case, several files per type allowed), told apart by their first
 * resource; and every other entry of the directory, listed as not read with why.
 */
import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { COMPRESSED, entryLabel, type EntryKind } from "./input-file-label.ts";
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

/** Why the other entries of an NDJSON folder are not read (fixed strings, as every reason is). */
const FOLDER_NOT_READ = "a folder: not read (files in subfolders are not read)";
const NOT_A_FILE = "neither a file nor a folder (a broken link?): not read";
const NOT_NDJSON = "not an .ndjson file";
const NOT_BUNDLE_JSON = "not a .json file";
const JSON_LINES_NOT_READ = "not an .ndjson file (.jsonl): rename it .ndjson to read it";
/** population/bulk/bulk-export.ts downloads into NAME.partial and renames it when complete. */
const PARTIAL_NOT_READ = "an unfinished download (.partial): not read";
/** Compressed: the readers read plain text only. The extension goes into the reason, from a
 * fixed list, never from the name. */
const compressedNotRead = (extension: (typeof COMPRESSED)[number]) => `compressed (.${extension}): not read; decompress it first`;

export interface NdjsonDirectory {
  /** Files whose first resource is a Patient, in name order (Patient.000, Patient.001, ...). */
  patientFiles: string[];
  /** All other FHIR NDJSON files, in name order. */
  otherFiles: string[];
  /** The other files whose first resource is a Medication (Bulk Data: the Medication files). */
  medicationFiles: string[];
  /** Entries not read, with why: .ndjson files that are not FHIR NDJSON first, then every other
   * entry of the directory but truth.ndjson (.json and other files, folders), in name order. */
  ignored: { file: string; reason: string }[];
}

/** Lists the .ndjson files of a directory (not truth.ndjson); empty lists when there are none. */
export async function listNdjsonFiles(dir: string): Promise<string[]> {
  return ndjsonNames(await readdir(dir));
}

/** A name the NDJSON readers read: `.ndjson` in any case (the FHIR Bulk Data spec names the
 * format, not the case, and Windows tools write `.NDJSON`). */
const isNdjsonName = (name: string): boolean => /\.ndjson$/i.test(name);

/** Of a directory's file names, the NDJSON files the readers read. The one filter of the
 * readers, the progress estimate and the job's input check (job/input-fingerprint.ts).
 * truth.ndjson is the simulator's ground truth, not FHIR: read by truth-store.ts (features,
 * evaluate, recalibrate), which opens it by this exact name. */
export const ndjsonNames = (names: readonly string[]): string[] => names.filter((name) => isNdjsonName(name) && name !== TRUTH_FILE).sort();

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
  const entries = await readdir(dir, { withFileTypes: true });
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  // Only files: a folder or a broken link named .ndjson is listed below, not read.
  const read: string[] = [];
  for (const name of ndjsonNames([...byName.keys()])) if ((await entryKind(dir, byName.get(name)!)) === "file") read.push(name);
  for (const name of read) {
    const first = await sniffNdjsonFile(join(dir, name));
    // Only a file that shows JSON objects but no resource is taken for something other than data;
    // a file of lines that are not JSON is read, so that each of them is reported (or counted).
    if (first.kind === "empty") result.ignored.push({ file: entryLabel(name), reason: "empty" });
    else if (first.kind === "not-fhir") result.ignored.push({ file: entryLabel(name), reason: `no FHIR resource in its first ${SNIFF_LINES} lines` });
    else if (first.kind === "resource" && first.resourceType === "Patient") result.patientFiles.push(join(dir, name));
    else {
      result.otherFiles.push(join(dir, name));
      if (first.kind === "resource" && first.resourceType === "Medication") result.medicationFiles.push(join(dir, name));
    }
  }
  // Everything else is listed, so that nothing in an export folder vanishes without a word: a
  // patient whose Conditions sit in a .ndjson.gz, a .jsonl or a subfolder would otherwise be scored
  // as if they had none. Only truth.ndjson is left out: it is not FHIR, and the commands that
  // need it read it (see ndjsonNames). No other exception: this is a list of what was not read,
  // not of faults, so a harmless file (.DS_Store, a README) costs one row, whereas a list of
  // names taken for harmless would hide whatever data someone saved under such a name. A Bulk
  // Data log.ndjson is no exception either: it is sniffed above and listed as not FHIR.
  result.ignored.push(...(await entriesNotRead(dir, entries, new Set(read), "ndjson")));
  return result;
}

/**
 * Of an input folder's listing, the entries other than `read` (and truth.ndjson), in name order,
 * each by a label that cannot name a patient and with why it is not read: for an NDJSON folder
 * (above) and a Bundle folder (bundle-reader.ts) alike.
 */
export async function entriesNotRead(dir: string, entries: readonly Dirent[], read: ReadonlySet<string>, format: "ndjson" | "bundle"): Promise<{ file: string; reason: string }[]> {
  const others = entries.filter((entry) => !read.has(entry.name) && entry.name !== TRUTH_FILE);
  others.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const listed: { file: string; reason: string }[] = [];
  for (const entry of others) listed.push(whyNotRead(entry.name, await entryKind(dir, entry), format));
  return listed;
}

/** A file or a folder, through a symbolic link too (a link to nothing is "other"). */
async function entryKind(dir: string, entry: Dirent): Promise<EntryKind> {
  if (entry.isFile()) return "file";
  if (entry.isDirectory()) return "folder";
  if (!entry.isSymbolicLink()) return "other";
  const target = await stat(join(dir, entry.name)).catch(() => null);
  return target?.isFile() === true ? "file" : target?.isDirectory() === true ? "folder" : "other";
}

/** An entry of an input folder that is not read, by a label that cannot name a patient
 * (input-file-label.ts), and why. */
function whyNotRead(name: string, kind: EntryKind, format: "ndjson" | "bundle"): { file: string; reason: string } {
  const lower = name.toLowerCase();
  const file = entryLabel(name, kind);
  if (kind === "file" && lower.endsWith(".json")) return { file, reason: JSON_FILE_NOT_READ };
  if (kind === "folder") return { file, reason: FOLDER_NOT_READ };
  if (kind === "other") return { file, reason: NOT_A_FILE };
  if (lower.endsWith(".partial")) return { file, reason: PARTIAL_NOT_READ };
  const compressed = COMPRESSED.find((extension) => lower.endsWith(`.${extension}`));
  if (compressed !== undefined) return { file, reason: compressedNotRead(compressed) };
  if (lower.endsWith(".jsonl")) return { file, reason: JSON_LINES_NOT_READ };
  return { file, reason: format === "ndjson" ? NOT_NDJSON : NOT_BUNDLE_JSON };
}
