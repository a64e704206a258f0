import { describe, expect, it } from "vitest";
import * as valuesets from "../../shared/valuesets.ts";
import { DIAGNOSIS_GROUPS } from "../../shared/valuesets/diagnosis-groups/index.ts";
import { matchDiagnosis } from "../../shared/valuesets/matching.ts";

describe("the valuesets entry point", () => {
  it("exports the module's whole runtime API and nothing of its internals", () => {
    // The names importers use (shared/features, shared/inference, population, models/cohort,
    // shared/oa-site-not-stated.ts, shared/knee-replaced.ts);
    // the row shorthands, the lookup builder and the per-domain tables stay inside shared/valuesets/.
    expect(Object.keys(valuesets).sort()).toEqual([
      "CODE_SOURCES",
      "DIAGNOSIS_GROUPS",
      "DIAGNOSIS_GROUP_IDS",
      "KNEE_OA",
      "KNEE_REPLACED",
      "MEDICATION_CLASSES",
      "MEDICATION_CLASS_IDS",
      "OA_SITE_NOT_STATED",
      "OBSERVATION_LOINC",
      "SYSTEM",
      "VALUE_SETS_VERSION",
      "matchDiagnosis",
      "matchMedication",
      "namesKneeReplacement",
      "namesOaSiteNotStated",
    ]);
  });

  it("re-exports the folder's objects themselves, not copies", () => {
    expect(valuesets.DIAGNOSIS_GROUPS).toBe(DIAGNOSIS_GROUPS);
    expect(valuesets.matchDiagnosis).toBe(matchDiagnosis);
  });

  it("carries a date-based version", () => {
    expect(valuesets.VALUE_SETS_VERSION).toMatch(/^\d{4}\.\d{1,2}\.\d+$/);
  });
});
