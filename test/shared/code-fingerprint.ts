/**
 * A hash of source files' code, comments and layout stripped (so rewording a comment or
 * reformatting does not count as a change), for the tests that tie a version to the code it
 * names: the feature spec (features/spec-fingerprint.test.ts) and the population run's rules
 * (population/job/rules-version.test.ts).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { expect } from "vitest";

/** The repository: fingerprints name their files by the path from it. */
export const REPO_ROOT = join(import.meta.dirname, "../..");

/** The file's code as the TypeScript printer writes it without comments: layout-independent. */
export function codeOf(file: string): string {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return ts.createPrinter({ removeComments: true }).printFile(source);
}

/** The SHA-256 of the files' paths (from REPO_ROOT) and code, in path order. */
function codeFingerprint(files: readonly string[]): string {
  const hash = createHash("sha256");
  for (const file of [...files].sort()) hash.update(`${relative(REPO_ROOT, file)}\n${codeOf(file)}\n`);
  return hash.digest("hex");
}

/**
 * Expects `files` to hash to the fingerprint `recorded` under `version`. A failure prints the
 * hash they have, as "`what` hash to HASH under VERSION: `advice`", so that it can be recorded.
 */
export function expectRecordedFingerprint(recorded: Readonly<Record<string, string>>, version: string, files: readonly string[], what: string, advice: string): void {
  const actual = codeFingerprint(files);
  expect(recorded[version], `${what} hash to ${actual} under ${version}: ${advice}`).toBe(actual);
}
