/**
 * Damaged records never crash the builder: fields of a realistic record are replaced, at
 * random, by values of the wrong shape, and every output must stay well-formed.
 */
import { describe, expect, it } from "vitest";
import { Random } from "../../../models/cohort/random.ts";
import { buildFeatures } from "../../../shared/features/build-features.ts";
import { CHANNEL_COUNT, STATIC_COUNT, WEEKS } from "../../../shared/features/spec.ts";
import { realisticRecord } from "../../support/realistic-record.ts";

const INDEX = "2024-03-15";
const WRONG_VALUES: readonly unknown[] = [null, 0, -1, 1e308, Number.NaN, "", "x", "2023-02-30", [], [null], {}, { coding: 5 }, true, "constructor"];

/** A deep copy of `value` with about `rate` of its fields (at any depth) replaced. */
function damage(value: unknown, random: Random, rate: number): unknown {
  if (Array.isArray(value)) return value.map((item) => damage(item, random, rate));
  if (typeof value !== "object" || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = random.uniform() < rate ? WRONG_VALUES[Math.floor(random.uniform() * WRONG_VALUES.length)] : damage(field, random, rate);
  }
  return copy;
}

describe("randomly damaged records", () => {
  it("never throw and always give finite values in range", () => {
    const record = realisticRecord(200, INDEX, 5);
    const random = new Random(2024, 0, 0);
    let skippedTotal = 0;
    for (let trial = 0; trial < 60; trial++) {
      const damaged = damage(record, random, 0.05) as never[];
      const features = buildFeatures(damaged, INDEX);
      expect(features.sequence.length).toBe(CHANNEL_COUNT * WEEKS);
      expect(features.static.length).toBe(STATIC_COUNT);
      expect(features.sequence.filter((value) => !(value >= 0 && value <= 1)).length).toBe(0);
      expect(features.static.filter((value) => !Number.isFinite(value)).length).toBe(0);
      skippedTotal += Object.values(features.quality.skipped).reduce((sum, n) => sum + n, 0);
    }
    expect(skippedTotal).toBeGreaterThan(60);
  });
});
