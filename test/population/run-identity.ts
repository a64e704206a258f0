/** A run identity for tests of what is written from one (outputs, Group, summary): the defaults
 * of a single run over local files; a test names the fields its outputs show. */
import type { RunIdentity } from "../../population/job/checkpoint.ts";
import { POPULATION_RULES_VERSION } from "../../population/job/rules-version.ts";

export function runIdentity(fields: Partial<RunIdentity> = {}): RunIdentity {
  return {
    source: "input",
    inputFiles: "0".repeat(64),
    indexDate: "2026-01-01",
    minAgeYears: null,
    explainFrom: 0.05,
    includeNames: false,
    rules: POPULATION_RULES_VERSION,
    model: { name: "deep-koa", version: "1.3.0", specVersion: "koa-features/3", sha256: "0".repeat(64) },
    shard: { index: 0, count: 1 },
    ...fields,
  };
}
