/**
 * POPULATION_RULES_VERSION (population/job/rules-version.ts) must change whenever what a
 * population run stores for a patient can change: a checkpoint records it, so that a run resumed
 * by another version is refused rather than mixing two sets of rules. This test hashes the code
 * (comments and layout stripped) of every module the run's rules import, found from their entry
 * points, and compares the hash with the one recorded for the current version.
 *
 * When it fails: if the change can alter what a run stores for a patient (which resources reach
 * them, the features, the risk, the tier, the drivers, the stored row) and the feature-spec
 * version did not change, bump POPULATION_RULES_VERSION; then record the hash the failure prints
 * under the version. A change that stores the same for every patient (a refactoring, a count,
 * a message) records the new hash under the same version; say why in the commit message.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { POPULATION_RULES_VERSION } from "../../../population/job/rules-version.ts";
import { expectRecordedFingerprint, REPO_ROOT } from "../../shared/code-fingerprint.ts";

/** Where the rules start: the reading of each patient's resources, the resource types kept (the
 * features' and the job's), the scoring thread (parsing, features, assessment, the stored row) and
 * the choice of a shard's patients. */
const ENTRY_POINTS = [
  "population/read-population.ts",
  "models/features/feature-resource-types.ts",
  "population/job/job-resource-types.ts",
  "population/job/score-worker.ts",
  "population/job/shard.ts",
];

const RECORDED: Readonly<Record<string, string>> = {
  "2026.11.1": "a6e22a677284ea5bd44e6ad0c07d341c34e7dd809dc20d29fca9e0c0965af27c",
  "2026.11.2": "4b20ec0224f6e16481cdf8736b389fb83a987328dda090a6429f36f9421c6129",
  "2026.11.3": "67f33e29dd4df8fddaef3a96ad1928aaa8a94a5d4f90e9dc2fd9926e944cda24",
  "2026.12.1": "e7075fc56cd33cf9dd6d9335aab0e21a5f74e1bd6eef6f0f9b711c8190a00e7b",
  "2026.12.2": "98ac79700007ed20bb58df2438e8357198eb36e127ddfc37b8167d8bf4a5ee19",
  "2026.12.3": "b17ab2dd7dd125e318a6484b9f75ef7a6cfd95a6ca92c0e53abf9eb20174015f",
  "2026.12.4": "78dcd87ca4e23ec2aa0879e52025ad22bbbe194b5221093823141312aa4a11dd",
  "2026.12.5": "32e572fe86503a0c7ecd419917e93e9237f091d203542155a1cae866c727fa52",
  "2026.12.6": "7bacc6b7dd7b8406656e1cfbb97dd02f58e974ffe67f07bd420371f4d9f24a02",
  "2026.12.7": "fb94f172c4bf6f1c755714fe78aa5b1c879077c4b4c0aa48c2f737a84410a080",
};

/** Every repository module `entries` import, directly or not (relative imports of .ts files). */
function importClosure(entries: readonly string[]): string[] {
  const seen = new Set<string>();
  const pending = entries.map((entry) => join(REPO_ROOT, entry));
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    for (const { fileName } of importedFiles) {
      if (fileName.startsWith(".") && fileName.endsWith(".ts")) pending.push(resolve(dirname(file), fileName));
    }
  }
  return [...seen];
}

describe("population rules version", () => {
  it("changes only together with the code of the rules a run applies", () => {
    expectRecordedFingerprint(
      RECORDED,
      POPULATION_RULES_VERSION,
      importClosure(ENTRY_POINTS),
      "the population run's rules",
      "bump POPULATION_RULES_VERSION if what a run stores for a patient can change, then record this hash (see the comment at the top)",
    );
  });

  it("follows the imports from the readers to the patient rule, the features, the model and the stored row", () => {
    const files = importClosure(ENTRY_POINTS).map((file) => relative(REPO_ROOT, file));
    for (const rule of [
      "shared/patient-compartment.ts",
      "shared/model-input.ts",
      "population/record-assembler.ts",
      "shared/features/build-features.ts",
      "shared/valuesets.ts",
      "shared/assess-risk.ts",
      "shared/risk-tiers.ts",
      "shared/shown-drivers.ts",
      "population/job/scored-patient.ts",
    ]) {
      expect(files).toContain(rule);
    }
    // The outputs are written again from the stored rows by every run: not rules a checkpoint keeps.
    expect(files.filter((file) => file.startsWith("population/job/outputs/"))).toEqual([]);
  });
});
