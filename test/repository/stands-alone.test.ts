/**
 * The repository stands alone: no tracked file may point at material outside it (the project's
 * read-only reference folder beside the checkout, or a machine's absolute paths), since a clone
 * elsewhere has neither. Facts it relies on belong in its own docs/.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../shared/code-fingerprint.ts";

/** A path that climbs out of the checkout to its sibling `shared/data` or `shared/docs` (the
 * repository's own shared/ holds neither), or an absolute path into this machine's work folder. */
const OUTSIDE = /(?:\.\.\/)+shared\/(?:data|docs)\b|(?<![\w.])\/work\/(?!$)/;

/** The tracked files git sees as text. */
function trackedTextFiles(): string[] {
  // -I: skip binary files (models, images); -l: names only; a pattern that matches any line.
  return execFileSync("git", ["grep", "-I", "-l", "-e", ""], { cwd: REPO_ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
    .split("\n")
    .filter((name) => name !== "");
}

describe("the repository", () => {
  it("names no file outside itself", () => {
    const files = trackedTextFiles();
    expect(files.length).toBeGreaterThan(100);
    const citing = files.filter((file) => OUTSIDE.test(readFileSync(join(REPO_ROOT, file), "utf8")));
    expect(citing).toEqual([]);
  });

  it("would catch a citation of the reference folder or of an absolute work path", () => {
    // Written in parts, so that this file does not cite them itself.
    expect(OUTSIDE.test(`Measured with ${["..", "shared", "data", "synthea-100"].join("/")}`)).toBe(true);
    expect(OUTSIDE.test(`see ${["..", "..", "shared", "docs", "REFERENCE.md"].join("/")}`)).toBe(true);
    expect(OUTSIDE.test(`loaded from ${["", "work", "shared", "data"].join("/")}`)).toBe(true);
    // The repository's own shared/ and its own work folders are not outside it.
    expect(OUTSIDE.test('import { x } from "../../shared/imaging/codes.ts";')).toBe(false);
    expect(OUTSIDE.test("/models/training/work/")).toBe(false);
  });
});
