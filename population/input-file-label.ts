/**
 * How an input folder's files and folders are named in what a run stores and reports
 * (summary.html's files not read and bad lines' `file:line`, the checkpoint, the job's events on
 * stderr): one rule for every kind of entry. A name is shown as it is only when it cannot name a
 * patient:
 * - a Bulk Data file name: a FHIR R4 resource type (in any case, reported-type.ts), with at most
 *   a short ordinal before or after it, then `.ndjson` or `.jsonl`, then any of the compressed and
 *   unfinished-download extensions (`Condition.ndjson`, `Patient.00001.ndjson`, `1.Patient.ndjson`,
 *   `Condition.ndjson.gz`, `Encounter.000.ndjson.partial`). Bulk Data names its files by type,
 *   which is why these are worth showing; the ordinal is at most 5 digits, fewer than an MRN's;
 * - a few fixed names no patient has: the files macOS and Windows leave in a folder, and the
 *   SMART Bulk Data client's `log.ndjson`.
 * Any other name may be a patient's (Synthea names its Bundle, text and C-CDA files
 * Given_Family_<uuid>; a site may name a file by an MRN), so it is named by the start of its
 * SHA-256, which finds it in the folder (population/README.md says how). A `.json` file is never
 * a Bulk Data name, so a Bundle file is always named so. An error that stops a read names the
 * file: it goes to the operator's terminal, not to a file (the job never stops so).
 */
import { createHash } from "node:crypto";
import { basename } from "node:path";
import { R4_TYPES } from "./reported-type.ts";

/** What an entry of a folder is, through a symbolic link too ("other": a broken link, a FIFO). */
export type EntryKind = "file" | "folder" | "other";

const R4_TYPES_LOWER_CASE: ReadonlySet<string> = new Set([...R4_TYPES].map((type) => type.toLowerCase()));

/** Compressed files' extensions: whyNotRead (ndjson-directory.ts) names them in its reasons, and a
 * Bulk Data name may end in them, or in `.partial` (a download bulk-export.ts has not finished). */
export const COMPRESSED = ["gz", "zip", "bz2", "xz", "zst", "7z"] as const;
const BULK_DATA_NAME = new RegExp(`^(?:\\d{1,5}[._-])?([a-z]+)(?:[._-]?\\d{1,5})?\\.(?:ndjson|jsonl)(?:\\.(?:${COMPRESSED.join("|")}|partial))*$`, "i");

/** Compared in lower case, as the file systems that write them compare names. */
const FIXED_NAMES: ReadonlySet<string> = new Set([".ds_store", "thumbs.db", "desktop.ini", "log.ndjson"]);

function isShownName(name: string): boolean {
  if (FIXED_NAMES.has(name.toLowerCase())) return true;
  const type = BULK_DATA_NAME.exec(name)?.[1];
  return type !== undefined && R4_TYPES_LOWER_CASE.has(type.toLowerCase());
}

/** An entry of an input folder as reports name it: its name when shown (above), else by kind and
 * the start of its name's SHA-256 ("Bundle file whose name's SHA-256 begins e9444d05ac26"). */
export function entryLabel(name: string, kind: EntryKind = "file"): string {
  if (isShownName(name)) return name;
  const what = kind === "folder" ? "folder" : kind === "file" && /\.json$/i.test(name) ? "Bundle file" : "file";
  return `${what} whose name's SHA-256 begins ${createHash("sha256").update(name).digest("hex").slice(0, 12)}`;
}

/** A line's place as reports name it, "file:line", the file by entryLabel. */
export const linePlace = (file: string, line: number): string => `${entryLabel(basename(file))}:${line}`;
