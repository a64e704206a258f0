/**
 * The app depends only on shared/ and app/ (and the model files it ships): what it has in common
 * with the CDS service or the population job lives in shared/, never imported from them.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(".");
const SOURCE = /\.(ts|tsx)$/;
const RELATIVE_IMPORT = /(?:from\s+|import\()\s*"(\.{1,2}\/[^"?]+)(\?[^"]*)?"/g;

/** Relative imports of every app source file, as repository paths. */
function appImports(): { file: string; target: string }[] {
  return readdirSync(join(ROOT, "app"), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && SOURCE.test(entry.name))
    .flatMap((entry) => {
      const file = join(entry.parentPath, entry.name);
      return [...readFileSync(file, "utf8").matchAll(RELATIVE_IMPORT)].map((m) => ({
        file: relative(ROOT, file),
        target: relative(ROOT, resolve(dirname(file), m[1] as string)),
      }));
    });
}

describe("the app's layering", () => {
  it("imports code only from app/ and shared/, and only the shipped model files from models/", () => {
    const imports = appImports();
    expect(imports.length).toBeGreaterThan(50);
    const outside = imports.filter(
      ({ target }) => !target.startsWith("app/") && !target.startsWith("shared/") && !/^models\/deep-koa\/[\w.-]+\.onnx$/.test(target),
    );
    expect(outside).toEqual([]);
  });
});
