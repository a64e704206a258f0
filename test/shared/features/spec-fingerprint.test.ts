/**
 * The feature-spec version must change whenever the value sets or the feature rules change
 * (models/FEATURES.md, "Version policy"). This test hashes their code, comments and layout
 * stripped (so rewording a comment or reformatting does not count as a change), and compares the
 * hash with the one recorded for the current FEATURE_SPEC_VERSION.
 *
 * When it fails: if the change alters any feature value, bump LAYOUT_REVISION
 * (shared/features/spec.ts) or VALUE_SETS_VERSION (shared/valuesets.ts), then record the hash
 * the failure prints under the new version below (and retrain). A pure refactoring that keeps
 * every output value may keep the version: record the new hash under the same version, and say
 * why in the commit message.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { FEATURE_SPEC_VERSION } from "../../../shared/features/spec.ts";
import { expectRecordedFingerprint, REPO_ROOT } from "../code-fingerprint.ts";

/** Everything that decides a feature value: the builder, dates, references, which resources are
 * model input, the value sets and their matching. */
const RULE_SOURCES = [
  "shared/features",
  "shared/fhir-dates.ts",
  "shared/fhir-references.ts",
  "shared/model-input.ts",
  "shared/valuesets",
  "shared/valuesets.ts",
];

const RECORDED: Readonly<Record<string, string>> = {
  "koa-features/3+valuesets/2026.11.2": "94603dabfff4c178b50786c6381742f72e37d30174231a167b9f8249972c3d94",
};

function sourceFiles(path: string): string[] {
  const absolute = join(REPO_ROOT, path);
  if (path.endsWith(".ts")) return [absolute];
  return readdirSync(absolute, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe("feature spec fingerprint", () => {
  it("changes only together with the feature-spec version", () => {
    expectRecordedFingerprint(
      RECORDED,
      FEATURE_SPEC_VERSION,
      RULE_SOURCES.flatMap(sourceFiles),
      "the value sets or feature rules",
      "bump the feature-spec version if any feature value changes, then record this hash (see the comment at the top)",
    );
  });

  it("ignores comments and layout but not code", () => {
    const code = (text: string) => ts.createPrinter({ removeComments: true }).printFile(ts.createSourceFile("x.ts", text, ts.ScriptTarget.Latest));
    expect(code("const a = 1; // one\n")).toBe(code("/** the first */\nconst  a =\n  1;"));
    expect(code("const a = 1;")).not.toBe(code("const a = 2;"));
  });
});
