import { describe, expect, it } from "vitest";
import { DIAGNOSIS_GROUP_IDS, DIAGNOSIS_GROUPS, type DiagnosisGroupId } from "../../../shared/valuesets.ts";
import { diagnosis } from "./fixtures.ts";

describe("diagnosis groups: real codes from every group", () => {
  // [group, SNOMED CT code, ICD-10-CM code, every group the ICD-10-CM code falls in]
  const cases: readonly (readonly [DiagnosisGroupId, string, string, readonly DiagnosisGroupId[]])[] = [
    ["obesity", "162864005", "Z68.41", ["obesity"]],
    ["knee_injury", "444470001", "S83.511A", ["knee_injury"]],
    ["knee_pain", "30989003", "M25.561", ["knee_pain"]],
    ["hip_oa", "239872002", "M16.11", ["hip_oa"]],
    ["hand_other_oa", "201834006", "M19.041", ["hand_other_oa"]],
    ["inflammatory_arthritis", "69896004", "M06.9", ["inflammatory_arthritis"]],
    ["gout", "24595009", "M10.9", ["gout", "metabolic_immunity"]],
    ["diabetes", "44054006", "E11.9", ["diabetes"]],
    ["hypertension", "59621000", "I10", ["hypertension"]],
    ["hyperlipidemia", "13644009", "E78.00", ["hyperlipidemia", "metabolic_immunity"]],
    ["cardiovascular", "49436004", "I48.91", ["cardiovascular"]],
    ["ckd", "433144002", "N18.30", ["ckd"]],
    ["depression_anxiety", "35489007", "F33.1", ["depression_anxiety"]],
    ["osteoporosis", "64859006", "M81.0", ["osteoporosis"]],
    ["back_pain", "279039007", "M54.50", ["back_pain"]],
    ["eye_adnexa", "193570009", "H25.11", ["eye_adnexa"]],
    ["acute_respiratory_infection", "444814009", "J01.90", ["acute_respiratory_infection"]],
    ["metabolic_immunity", "237602007", "E88.81", ["metabolic_immunity"]],
  ];

  it("covers all 18 groups", () => {
    expect(cases.map(([group]) => group)).toEqual([...DIAGNOSIS_GROUP_IDS]);
  });

  it.each(cases)("%s: SNOMED CT %s and ICD-10-CM %s", (group, snomed, icd, icdGroups) => {
    expect(diagnosis("snomed", snomed).ids).toContain(group);
    expect(diagnosis("icd10cm", icd).ids).toEqual(icdGroups);
    expect(diagnosis("icd10cm", icd).kneeOa).toBe(false);
  });

  it("gives every group SNOMED CT and ICD-10-CM codes", () => {
    for (const id of DIAGNOSIS_GROUP_IDS) {
      const systems = new Set(DIAGNOSIS_GROUPS[id].codes.map((entry) => entry.system));
      expect(systems.has("snomed") && systems.has("icd10cm"), id).toBe(true);
    }
  });
});
