import { describe, expect, it } from "vitest";
import { KNEE_OA, SYSTEM } from "../../../shared/valuesets.ts";
import { diagnosis, sampleCode } from "./fixtures.ts";

describe("the outcome: knee OA", () => {
  it("sets kneeOa for SNOMED CT, every ICD-10-CM M17 code and ICD-9-CM 715.x6", () => {
    for (const [system, code] of [
      ["snomed", "239873007"],
      ["snomed", "450521003"],
      ["icd10cm", "M17.0"],
      ["icd10cm", "M17.11"],
      ["icd10cm", "M17.32"],
      ["icd10cm", "M17.9"],
      ["icd9cm", "715.16"],
      ["icd9cm", "715.96"],
    ] as const) {
      expect(diagnosis(system, code).kneeOa, code).toBe(true);
    }
  });

  it("is not a channel: no knee OA code lights a diagnosis group", () => {
    for (const entry of KNEE_OA.codes) {
      expect(diagnosis(entry.system, sampleCode(entry)).ids, entry.code).toEqual([]);
    }
  });

  it("leaves neighbouring codes alone", () => {
    expect(diagnosis("icd10cm", "M16.11").kneeOa).toBe(false);
    expect(diagnosis("icd10cm", "M1")).toEqual({ ids: [], unmapped: [`${SYSTEM.icd10cm}|M1`], kneeOa: false });
    expect(diagnosis("icd9cm", "715.15").kneeOa).toBe(false);
    expect(diagnosis("icd9cm", "715.15").ids).toEqual(["hip_oa"]);
    expect(diagnosis("icd9cm", "715.14").ids).toEqual(["hand_other_oa"]);
  });
});
