/**
 * A resource nested 20,000 levels deep (valid JSON: JSON.parse reads it, JSON.stringify overflows
 * the stack) is scored the same whether the scoring threads parse its line themselves (NDJSON
 * ordered by patient) or get it in a record assembled by the reading thread (the spill).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { condition, patient, tempDir, writeNdjson } from "../fixtures.ts";
import { read, scorePopulation } from "./job-fixtures.ts";

const DEPTH = 20_000;

/** p2's Condition with an extension nested DEPTH levels deep, as a line (JSON.stringify cannot write it). */
function deepConditionLine(): string {
  const nested = `${'{"a":'.repeat(DEPTH)}{}${"}".repeat(DEPTH)}`;
  const plain = JSON.stringify(condition("c2", "Patient/p2", "38341003", "2020-01-01"));
  return `${plain.slice(0, -1)},"extension":[{"url":"http://example.org/deep","valueX":${nested}}]}`;
}

describe("a resource nested thousands of levels deep", () => {
  it("is scored alike on the merge join and on the spill (it ended the spilled run: 'Maximum call stack size exceeded')", async () => {
    const runs: string[] = [];
    for (const ordered of [true, false]) {
      const dir = tempDir("patella-job-deep-in-");
      writeNdjson(dir, "Patient.ndjson", [patient("p1", { birthDate: "1950-01-01" }), patient("p2", { birthDate: "1952-01-01" })]);
      const p1 = JSON.stringify(condition("c1", "Patient/p1", "38341003", "2019-01-01"));
      // Unordered: p2's line before p1's, so the reader regroups through the spill.
      writeFileSync(join(dir, "Condition.ndjson"), `${(ordered ? [p1, deepConditionLine()] : [deepConditionLine(), p1]).join("\n")}\n`);
      const out = tempDir("patella-job-deep-out-");
      const result = await scorePopulation(dir, out, { selection: { threshold: 0, top: null } });
      expect(result.patients).toBe(2);
      runs.push(read(out, "high-risk.csv"));
      expect(read(out, "summary.html")).toContain(ordered ? "merge-join" : "sqlite-spill");
    }
    expect(runs[1]).toBe(runs[0]);
    expect(runs[0]!.trim().split("\n")).toHaveLength(3);
  }, 120_000);
});
