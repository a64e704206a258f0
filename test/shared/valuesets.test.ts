import { describe, expect, it } from "vitest";
import { matchDiagnosis, matchMedication, SYSTEM } from "../../shared/valuesets.ts";

const concept = (...codings: [string | undefined, string][]) => ({
  coding: codings.map(([system, code]) => (system === undefined ? { code } : { system, code })),
});

describe("matchDiagnosis", () => {
  it("matches knee OA by SNOMED, ICD-10-CM prefix and ICD-9-CM 715.x6", () => {
    expect(matchDiagnosis(concept([SYSTEM.snomed, "239873007"])).kneeOa).toBe(true);
    expect(matchDiagnosis(concept([SYSTEM.icd10cm, "m17.11"])).kneeOa).toBe(true);
    expect(matchDiagnosis(concept([SYSTEM.icd10cm, "M1711"])).kneeOa).toBe(true);
    expect(matchDiagnosis(concept([SYSTEM.icd9cm, "715.16"])).kneeOa).toBe(true);
    expect(matchDiagnosis(concept([SYSTEM.icd9cm, "715.15"])).kneeOa).toBe(false);
  });

  it("returns groups in channel order across codings, and unknown codings as unmapped", () => {
    const m = matchDiagnosis(concept([SYSTEM.snomed, "44054006"], [SYSTEM.icd10cm, "E66.01"], [undefined, "X1"], ["http://x", "9"]));
    expect(m.ids).toEqual(["obesity", "diabetes", "metabolic_immunity"]);
    expect(m.unmapped).toEqual(["|X1", "http://x|9"]);
    expect(m.kneeOa).toBe(false);
  });

  it("puts a code in several groups when its sets overlap", () => {
    expect(matchDiagnosis(concept([SYSTEM.icd10cm, "E78.5"])).ids).toEqual(["hyperlipidemia", "metabolic_immunity"]);
  });

  it("expands ranges to their categories only", () => {
    expect(matchDiagnosis(concept([SYSTEM.icd10cm, "H59.8"])).ids).toEqual(["eye_adnexa"]);
    expect(matchDiagnosis(concept([SYSTEM.icd10cm, "H60.1"])).ids).toEqual([]);
  });
});

describe("matchMedication", () => {
  it("maps a combination product to both classes", () => {
    expect(matchMedication(concept([SYSTEM.rxnorm, "1049221"])).ids).toEqual(["paracetamol", "opioid"]);
  });
  it("matches ATC by prefix", () => {
    expect(matchMedication(concept([SYSTEM.atc, "M01AE01"])).ids).toEqual(["nsaid_oral"]);
  });
  it("handles an absent concept", () => {
    expect(matchMedication(undefined)).toEqual({ ids: [], unmapped: [] });
  });
});
