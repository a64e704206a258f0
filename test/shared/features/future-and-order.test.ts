import { describe, expect, it } from "vitest";
import type { Resource } from "fhir/r4";
import { buildFeatures } from "../../../shared/features/build-features.ts";
import { FEATURE_SPEC_VERSION } from "../../../shared/features/spec.ts";
import { activeChannels } from "../../support/feature-cells.ts";
import { futureResources, realisticRecord } from "../../support/realistic-record.ts";

const INDEX = "2024-03-15";
const bytes = (array: Float32Array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);
const featureParts = (resources: readonly Resource[]) => {
  const { sequence, static: statics, demographics, eligibility } = buildFeatures(resources, INDEX);
  return { sequence: bytes(sequence), statics: bytes(statics), demographics, eligibility };
};

describe("nothing on or after the index date influences any feature", () => {
  const record = realisticRecord(500, INDEX, 7);

  it("is a busy record to start with", () => {
    const features = buildFeatures(record, INDEX);
    expect(features.specVersion).toBe(FEATURE_SPEC_VERSION);
    expect(activeChannels(features).length).toBeGreaterThanOrEqual(8);
    expect(features.eligibility.eligible).toBe(true);
    expect(features.demographics.bmi).not.toBeNull();
  });

  it("gives byte-identical features when future resources of every type are added", () => {
    const future = futureResources(INDEX);
    expect(new Set(future.map((resource) => resource.resourceType))).toEqual(
      new Set(["Encounter", "Condition", "MedicationRequest", "MedicationStatement", "MedicationDispense", "Observation"]),
    );
    const before = featureParts(record);
    const after = featureParts([...record, ...future]);
    expect(after.sequence.equals(before.sequence)).toBe(true);
    expect(after.statics.equals(before.statics)).toBe(true);
    expect(after.demographics).toEqual(before.demographics);
    expect(after.eligibility).toEqual(before.eligibility);
    expect(buildFeatures([...record, ...future], INDEX).quality.ignoredOnOrAfterIndex).toBe(future.length);
  });

  it("sees the same resources when the index date moves past them", () => {
    const future = futureResources(INDEX);
    const later = buildFeatures([...record, ...future], "2024-12-01");
    expect(later.eligibility.alreadyDiagnosed).toEqual({ date: "2024-03-15", precision: "day" });
  });
});

describe("input order and repeats", () => {
  const record = realisticRecord(300, INDEX, 3);

  it("does not depend on the order of resources", () => {
    const reversed = [...record].reverse();
    const shuffled = [...record].sort((a, b) => (a.id ?? "").localeCompare(b.id ?? ""));
    const base = featureParts(record);
    for (const order of [reversed, shuffled]) {
      const other = featureParts(order);
      expect(other.sequence.equals(base.sequence)).toBe(true);
      expect(other.statics.equals(base.statics)).toBe(true);
      expect(other.demographics).toEqual(base.demographics);
    }
  });

  it("counts a repeated resource (same type and id) once", () => {
    const repeated = [...record, ...record.slice(1, 101)];
    const features = buildFeatures(repeated, INDEX);
    expect(bytes(features.sequence).equals(bytes(buildFeatures(record, INDEX).sequence))).toBe(true);
    const duplicates = Object.entries(features.quality.skipped)
      .filter(([reason]) => reason.endsWith("duplicate id"))
      .reduce((sum, [, count]) => sum + count, 0);
    expect(duplicates).toBe(100);
  });
});
