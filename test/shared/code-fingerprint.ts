/**
 * A hash of source files' code, comments and layout stripped (so rewording a comment or
 * reformatting does not count as a change), for the tests that tie a version to the code it
 * names: the feature spec (features/spec-fingerprint.test.ts) and the population run's rules
 * (population/job/rules-version.test.ts).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import ts from "typescript";

/** The file's code as the TypeScript printer writes it without comments: layout-independent. */
export function codeOf(file: string): string {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return ts.createPrinter({ removeComments: true }).printFile(source);
}

/** The SHA-256 of the files' paths (from `root`) and code, in path order. */
export function codeFingerprint(root: string, files: readonly string[]): string {
  const hash = createHash("sha256");
  for (const file of [...files].sort()) hash.update(`${relative(root, file)}\n${codeOf(file)}\n`);
  return hash.digest("hex");
}
