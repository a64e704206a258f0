/** Folders that hold patient data are owner-only; the parents created on the way are not. */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdirOwnerOnly } from "../../population/owner-only-files.ts";

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
let root: string;
let umask: number;
beforeEach(() => {
  umask = process.umask(0o022);
  root = mkdtempSync(join(tmpdir(), "patella-owner-only-"));
});
afterEach(() => {
  process.umask(umask);
  rmSync(root, { recursive: true, force: true });
});

describe("mkdirOwnerOnly", () => {
  it("makes the folder 0700 and its missing parents as mkdir -p does (0755 under umask 022)", () => {
    const out = join(root, "team", "2026-12", "run1");
    mkdirOwnerOnly(out);
    expect([mode(join(root, "team")), mode(join(root, "team", "2026-12")), mode(out)]).toEqual(["755", "755", "700"]);
  });

  it("leaves a folder that exists as it is, unless the job owns it", () => {
    const given = join(root, "given");
    const owned = join(root, "owned");
    mkdirSync(given, { mode: 0o755 });
    mkdirSync(owned, { mode: 0o755 });
    mkdirOwnerOnly(given);
    mkdirOwnerOnly(owned, true);
    expect([mode(given), mode(owned)]).toEqual(["755", "700"]);
  });

  it("refuses a path that is a file", () => {
    const file = join(root, "file");
    writeFileSync(file, "");
    expect(() => mkdirOwnerOnly(file, true)).toThrow(/EEXIST/);
    expect(mode(file)).toBe("644");
  });
});
