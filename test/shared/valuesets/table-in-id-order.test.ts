import { describe, expect, it } from "vitest";
import {
  DIAGNOSIS_GROUP_IDS,
  DIAGNOSIS_GROUPS,
  KNEE_OA,
  MEDICATION_CLASS_IDS,
  MEDICATION_CLASSES,
  type ValueSet,
  type ValueSetEntry,
} from "../../../shared/valuesets.ts";
import { tableInIdOrder } from "../../../shared/valuesets/table-in-id-order.ts";

const set = <Id extends string>(id: Id): ValueSet<Id> => ({ id, title: id, codes: [{ system: "snomed", code: id, match: "exact", display: id, source: "Task brief" }] });

describe("tableInIdOrder", () => {
  it("keys the table in the order of the ids, not of the parts", () => {
    const table = tableInIdOrder(["b", "c", "a"] as const, { ...{ a: set("a") }, ...{ c: set("c"), b: set("b") } });
    expect(Object.keys(table)).toEqual(["b", "c", "a"]);
    expect(table.c.id).toBe("c");
  });

  it("freezes the table down to its entries", () => {
    const table = tableInIdOrder(["a"] as const, { a: set("a") });
    expect(Object.isFrozen(table)).toBe(true);
    expect(Object.isFrozen(table.a.codes[0])).toBe(true);
  });
});

describe("the joined tables", () => {
  it("are keyed in channel order, every set under its own id", () => {
    expect(Object.keys(DIAGNOSIS_GROUPS)).toEqual([...DIAGNOSIS_GROUP_IDS]);
    expect(Object.keys(MEDICATION_CLASSES)).toEqual([...MEDICATION_CLASS_IDS]);
    for (const [key, value] of [...Object.entries(DIAGNOSIS_GROUPS), ...Object.entries(MEDICATION_CLASSES)]) expect(value.id).toBe(key);
  });

  it("are frozen", () => {
    expect(Object.isFrozen(DIAGNOSIS_GROUPS.obesity.codes)).toBe(true);
    expect(Object.isFrozen(MEDICATION_CLASSES.opioid.codes[0])).toBe(true);
    expect(Object.isFrozen(KNEE_OA)).toBe(true);
    expect(() => (DIAGNOSIS_GROUPS.obesity.codes as ValueSetEntry[]).push(DIAGNOSIS_GROUPS.gout.codes[0]!)).toThrow(TypeError);
  });
});
