/**
 * Reading NDJSON files one resource at a time, with the file and line of each, so that memory
 * stays flat whatever the file size and every bad line can be named. The lines come from
 * ndjson-byte-lines.ts (line ends, byte-order mark and length limit as every reader has them).
 */
import { isUtf8 } from "node:buffer";
import { basename } from "node:path";
import type { Resource } from "fhir/r4";
import { linePlace } from "./input-file-label.ts";
import { PopulationInputError } from "./input-error.ts";
import { MAX_LINE_BYTES, readNdjsonByteLines } from "./ndjson-byte-lines.ts";

/** One parsed NDJSON line. */
export interface NdjsonItem {
  resource: Resource;
  /** The line as read, so that a spill can store it without serialising again. */
  text: string;
  file: string;
  line: number;
}

/** What to do with a line that is not a JSON object with a string resourceType. */
export interface BadLinePolicy {
  /** When true the line is passed to `onSkip`; when false an error naming file:line is thrown. */
  skipBadLines: boolean;
  /** `where` is "file:line" (the file as input-file-label.ts names it). */
  onSkip: (reason: string, where: string) => void;
  /** A line read all the same but to be reported with its place (line-id-check.ts); never stops
   * the read. Default: said nowhere. */
  onFlag?: (reason: string, where: string) => void;
}

/** The reason a line over MAX_LINE_BYTES is skipped (and its error). */
const LINE_TOO_LONG = `line longer than ${MAX_LINE_BYTES / (1024 * 1024)} MiB`;

/** The reason a line whose bytes are not UTF-8 is skipped (and its error). Decoding it anyway
 * would put U+FFFD in place of the bad bytes: a code or an id changed without a word. */
const LINE_NOT_UTF8 = "line is not valid UTF-8";

/** The reason a line holding a Bundle is skipped (and its error). Bulk Data NDJSON holds one
 * resource a line; the entries of a Bundle line are not read as a patient's resources, so a
 * patient found only there would otherwise be missing without a word (and the Bundle counted as
 * a resource read). The reason says what to do instead. */
export const BUNDLE_LINE_NOT_READ =
  "a Bundle in an NDJSON file is not read: Bulk Data NDJSON holds one resource a line; " +
  "put the Bundle's resources one a line, or the Bundles in .json files of a folder without .ndjson files";

/** A bad line: an error naming file:line, or with skipBadLines counted under `reason` (null: nothing to read). */
function badLine(policy: BadLinePolicy, file: string, line: number, reason: string, detail: string): null {
  if (!policy.skipBadLines) throw new PopulationInputError(basename(file), line, `${detail}; use --skip-bad-lines to count and skip such lines`);
  policy.onSkip(reason, linePlace(file, line));
  return null;
}

/** A line the reader handed out as too long (null bytes): a bad line like any other. */
export function rejectLongLine(file: string, line: number, policy: BadLinePolicy): null {
  return badLine(policy, file, line, LINE_TOO_LONG, LINE_TOO_LONG);
}

/** V8's message without the piece of the line it quotes (`Unexpected token 'x', ..."text"... is
 * not valid JSON`, cut with "..." at either end or neither): that piece may be patient data, and
 * messages name only files and lines. Everything from the quote on goes. */
export function jsonErrorWithoutText(error: unknown): string {
  return (error as Error).message.replace(/, (?:\.\.\.)?".*$/s, "");
}

/** One line's bytes parsed: the resource and the line's text, or null for a blank line or a bad
 * one (per `policy`), bytes that are not UTF-8 as NDJSON requires included. */
export function parseNdjsonBytes(bytes: Uint8Array, file: string, line: number, policy: BadLinePolicy): { resource: Resource; text: string } | null {
  if (!isUtf8(bytes)) return badLine(policy, file, line, LINE_NOT_UTF8, LINE_NOT_UTF8);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  const resource = parseNdjsonLine(text, file, line, policy);
  return resource === null ? null : { resource, text };
}

/** Parses one line: the resource, or null for a blank or skipped line (a Bundle is a bad line). */
export function parseNdjsonLine(text: string, file: string, line: number, policy: BadLinePolicy): Resource | null {
  if (text.trim() === "") return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return badLine(policy, file, line, "line is not valid JSON", `not valid JSON (${jsonErrorWithoutText(error)})`);
  }
  if (isResource(value)) return value.resourceType === "Bundle" ? badLine(policy, file, line, BUNDLE_LINE_NOT_READ, BUNDLE_LINE_NOT_READ) : value;
  return badLine(policy, file, line, "line is not a FHIR resource", "not a FHIR resource (no resourceType)");
}

export function isResource(value: unknown): value is Resource {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { resourceType?: unknown }).resourceType === "string"
  );
}

/**
 * The non-blank lines of a text file as strings, with their 1-based line numbers, streaming. A
 * line over MAX_LINE_BYTES or not UTF-8 is still yielded, in its place, but its `text` cannot be
 * had: reading it throws the error naming file:line, so no caller takes it for a real line.
 */
export async function* readNdjsonLines(file: string): AsyncGenerator<{ text: string; line: number }> {
  for await (const { bytes, line } of readNdjsonByteLines(file)) {
    if (bytes !== null && isUtf8(bytes)) yield { text: bytes.toString("utf8"), line };
    else {
      const reason = bytes === null ? LINE_TOO_LONG : LINE_NOT_UTF8;
      yield {
        line,
        get text(): string {
          throw new PopulationInputError(basename(file), line, reason);
        },
      };
    }
  }
}

/** The resources of an NDJSON file in order (blank lines ignored, bad lines per the policy). */
export async function* readNdjsonFile(file: string, policy: BadLinePolicy): AsyncGenerator<NdjsonItem> {
  for await (const { bytes, line } of readNdjsonByteLines(file)) {
    if (bytes === null) {
      rejectLongLine(file, line, policy);
      continue;
    }
    const parsed = parseNdjsonBytes(bytes, file, line, policy);
    if (parsed !== null) yield { ...parsed, file, line };
  }
}
