import { describe, expect, it } from "vitest";
import { SYSTEM, type ValueSet, type ValueSetEntry } from "../../../shared/valuesets.ts";
import { icd10, rx, sct } from "../../../shared/valuesets/entries.ts";
import { buildLookup, lookupMask } from "../../../shared/valuesets/lookup.ts";

const set = (id: string, codes: readonly ValueSetEntry[]): ValueSet<string> => ({ id, title: id, codes });

describe("buildLookup", () => {
  it("rejects tables it cannot compile, naming the code and the set", () => {
    const build = (codes: readonly ValueSetEntry[]) => () => buildLookup([set("bad", codes)]);
    expect(build(icd10("Task brief", [["H59-H00", "reversed"]]))).toThrow('valuesets: malformed code range "H59-H00"');
    expect(build(icd10("Task brief", [["Z68.2-Z68.45", "uneven"]]))).toThrow('malformed code range "Z682-Z6845"');
    expect(build(icd10("Task brief", [["M1", "too short"]]))).toThrow("valuesets: prefix M1 in bad is shorter than 3");
    const rxPrefix: ValueSetEntry = { ...rx("Task brief", [["5640", "ibuprofen"]])[0]!, match: "prefix" };
    expect(build([rxPrefix])).toThrow("valuesets: rxnorm code 5640 in bad must be exact");
    expect(() => buildLookup(Array.from({ length: 31 }, (_, i) => set(`s${i}`, [])))).toThrow("more sets than bits");
  });
});

describe("lookupMask", () => {
  // Set 0 holds an ICD-10-CM category and a range, set 1 the same category and a SNOMED CT code.
  const maps = buildLookup([
    set("first", icd10("Task brief", [["E66", "obesity"], ["Z68.25-Z68.27", "BMI 25-27"]])),
    set("second", [...icd10("Task brief", [["E66.0", "obesity due to excess calories"]]), ...sct("Task brief", [["44054006", "T2DM"]])]),
  ]);
  const mask = (system: string, code: string | undefined) => lookupMask(maps, { system, code });

  it("ORs the bits of every prefix of an ICD code", () => {
    expect(mask(SYSTEM.icd10cm, "E66.9")).toBe(0b01);
    expect(mask(SYSTEM.icd10cm, "e66.01")).toBe(0b11);
  });

  it("expands a range into its categories only", () => {
    expect(mask(SYSTEM.icd10cm, "Z68.26")).toBe(0b01);
    expect(mask(SYSTEM.icd10cm, "Z68.28")).toBe(0);
  });

  it("reads code-system aliases and trims the system", () => {
    expect(mask("urn:oid:2.16.840.1.113883.6.96", "44054006")).toBe(0b10);
    expect(mask(` ${SYSTEM.snomed} `, "44054006")).toBe(0b10);
  });

  it("gives 0 for an unknown system, a system the sets do not use, or no code", () => {
    expect(mask("http://example.org/local", "E66")).toBe(0);
    expect(mask(SYSTEM.rxnorm, "5640")).toBe(0);
    expect(mask(SYSTEM.icd10cm, undefined)).toBe(0);
  });
});
