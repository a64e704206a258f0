import { describe, expect, it } from "vitest";
import { DIAGNOSIS_GROUPS, KNEE_OA, MEDICATION_CLASSES } from "../../../shared/valuesets.ts";
import { atc, icd10, icd9, icd9Digits, rx, sct } from "../../../shared/valuesets/entries.ts";

describe("table entries", () => {
  it("gives each entry a display, a source and a match kind its system allows", () => {
    const all = [KNEE_OA, ...Object.values(DIAGNOSIS_GROUPS), ...Object.values(MEDICATION_CLASSES)].flatMap((set) => set.codes);
    expect(all.length).toBeGreaterThan(400);
    for (const entry of all) {
      expect(entry.display.trim().length).toBeGreaterThan(0);
      expect(entry.source.length).toBeGreaterThan(0);
      const prefixSystem = entry.system === "icd10cm" || entry.system === "icd9cm" || entry.system === "atc";
      expect(entry.match === "exact", entry.code).toBe(!prefixSystem);
    }
  });
});

describe("row shorthands", () => {
  it("make ICD and ATC rows prefix rules, ranges where the code has a dash, and other systems exact", () => {
    expect(icd10("Task brief", [["M17", "knee OA"], ["Z68.25-Z68.45", "BMI 25+"]]).map((e) => [e.system, e.match])).toEqual([
      ["icd10cm", "prefix"],
      ["icd10cm", "range"],
    ]);
    expect(atc("WHO ATC index", [["M01A", "NSAIDs"]])[0]).toEqual({
      system: "atc",
      code: "M01A",
      match: "prefix",
      display: "NSAIDs",
      source: "WHO ATC index",
    });
    expect(sct("Deep-KOA references", [["239873007", "knee OA"]])[0]?.match).toBe("exact");
    expect(rx("Deep-KOA references", [["519", "allopurinol"]])[0]?.match).toBe("exact");
    expect(icd9("ICD-9-CM tabular list", [["715.16", "lower leg"]])[0]?.match).toBe("prefix");
  });

  it("spell out ICD-9-CM fifth digits category by category, in the order given", () => {
    expect(icd9Digits(["715.1", "715.2"], [0, 6], "OA")).toEqual([
      ["715.10", "OA"],
      ["715.16", "OA"],
      ["715.20", "OA"],
      ["715.26", "OA"],
    ]);
  });
});
