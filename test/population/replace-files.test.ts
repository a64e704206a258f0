/** Files replaced together: all of them or none, owner-only. */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { replaceFilesOwnerOnly } from "../../population/replace-files.ts";
import { useUmaskZero } from "../support/umask-zero.ts";
import { tempDir } from "./fixtures.ts";

useUmaskZero();
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

/** A folder holding an earlier run's a.txt, b.txt and c.txt. */
function earlierRun(): string {
  const dir = tempDir("patella-replace-files-");
  for (const name of ["a.txt", "b.txt", "c.txt"]) writeFileSync(join(dir, name), `earlier ${name}\n`);
  return dir;
}
const contents = (dir: string, names: readonly string[]) => names.map((name) => readFileSync(join(dir, name), "utf8"));
/** The error `replace` threw (it must throw), for the files to be checked before its message. */
function errorOf(replace: () => void): Error {
  try {
    replace();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a failure");
}
const newFiles: [string, string][] = [
  ["a.txt", "new a\n"],
  ["b.txt", "new b\n"],
  ["c.txt", "new c\n"],
];

describe("replaceFilesOwnerOnly", () => {
  it("replaces every file, 0600 under umask 0, and leaves no temporary file", () => {
    const dir = earlierRun();
    replaceFilesOwnerOnly(dir, newFiles);
    expect(readdirSync(dir).sort()).toEqual(["a.txt", "b.txt", "c.txt"]);
    expect(contents(dir, ["a.txt", "b.txt", "c.txt"])).toEqual(["new a\n", "new b\n", "new c\n"]);
    expect(["a.txt", "b.txt", "c.txt"].map((name) => mode(join(dir, name)))).toEqual(["600", "600", "600"]);
  });

  it("replaces none when the second cannot be written, and removes the first one's temporary file", () => {
    const dir = earlierRun();
    // The second file's temporary name is taken by a folder: its write fails after the first's.
    mkdirSync(join(dir, "b.txt.partial"));
    const error = errorOf(() => replaceFilesOwnerOnly(dir, newFiles));
    expect(contents(dir, ["a.txt", "b.txt", "c.txt"])).toEqual(["earlier a.txt\n", "earlier b.txt\n", "earlier c.txt\n"]);
    expect(readdirSync(dir).sort()).toEqual(["a.txt", "b.txt", "b.txt.partial", "c.txt"]);
    expect(error.message).toContain("b.txt.partial");
  });

  it("replaces none when the second's name is a folder, which no rename can replace", () => {
    const dir = tempDir("patella-replace-files-");
    writeFileSync(join(dir, "a.txt"), "earlier a.txt\n");
    mkdirSync(join(dir, "b.txt"));
    const error = errorOf(() => replaceFilesOwnerOnly(dir, newFiles));
    expect(contents(dir, ["a.txt"])).toEqual(["earlier a.txt\n"]);
    expect(readdirSync(dir).sort()).toEqual(["a.txt", "b.txt"]);
    expect(error.message).toBe(`${join(dir, "b.txt")} is a folder`);
  });
});
