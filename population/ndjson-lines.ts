/**
 * Reading NDJSON files one resource at a time, with the file and line of each, so that memory
 * stays flat whatever the file size and every bad line can be named.
 */
import { createReadStream } from "node:fs";
import { basename } from "node:path";
import { createInterface } from "node:readline";
import type { Resource } from "fhir/r4";
import { PopulationInputError } from "./input-error.ts";

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
  /** `where` is "file:line" (the file's base name). */
  onSkip: (reason: string, where: string) => void;
}

/** Parses one line: the resource, or null for a blank or skipped line. */
export function parseNdjsonLine(text: string, file: string, line: number, policy: BadLinePolicy): Resource | null {
  if (text.trim() === "") return null;
  let value: unknown;
  let problem: string;
  try {
    value = JSON.parse(text);
    if (isResource(value)) return value;
    problem = "not a FHIR resource (no resourceType)";
  } catch (error) {
    problem = `not valid JSON (${(error as Error).message})`;
  }
  const reason = problem.startsWith("not valid JSON") ? "line is not valid JSON" : "line is not a FHIR resource";
  if (!policy.skipBadLines) throw new PopulationInputError(basename(file), line, `${problem}; use --skip-bad-lines to count and skip such lines`);
  policy.onSkip(reason, `${basename(file)}:${line}`);
  return null;
}

export function isResource(value: unknown): value is Resource {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { resourceType?: unknown }).resourceType === "string"
  );
}

/** The non-blank lines of a text file with their 1-based line numbers, streaming. */
export async function* readNdjsonLines(file: string): AsyncGenerator<{ text: string; line: number }> {
  const input = createReadStream(file, { encoding: "utf8" });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line += 1;
      if (text.trim() !== "") yield { text, line };
    }
  } finally {
    lines.close();
    // Closing the interface leaves its input open: a reader stopped early (a sniffed first line,
    // an abandoned join) would hold the file descriptor until garbage collection.
    input.destroy();
  }
}

/** The resources of an NDJSON file in order (blank lines ignored, bad lines per the policy). */
export async function* readNdjsonFile(file: string, policy: BadLinePolicy): AsyncGenerator<NdjsonItem> {
  for await (const { text, line } of readNdjsonLines(file)) {
    const resource = parseNdjsonLine(text, file, line, policy);
    if (resource !== null) yield { resource, text, file, line };
  }
}

/** What a file's first non-blank line is: a FHIR resource (with its type), JSON that is not
 * FHIR (e.g. a Bulk Data log), text that is not JSON, or nothing (empty file). */
export type FileKind = { kind: "resource"; resourceType: string } | { kind: "not-fhir" | "not-json" | "empty" };

export async function sniffNdjsonFile(file: string): Promise<FileKind> {
  for await (const { text } of readNdjsonLines(file)) {
    try {
      const value: unknown = JSON.parse(text);
      return isResource(value) ? { kind: "resource", resourceType: value.resourceType } : { kind: "not-fhir" };
    } catch {
      return { kind: "not-json" };
    }
  }
  return { kind: "empty" };
}
