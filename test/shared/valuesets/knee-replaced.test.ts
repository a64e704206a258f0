/** The knee-replacement codes: the VSAC value set as published but for the repairs and tissue supplements, Z96.65, CPT 27446/27447; none is model input. */
import { describe, expect, it } from "vitest";
import { DIAGNOSIS_GROUPS, KNEE_REPLACED, namesKneeReplacement, SYSTEM } from "../../../shared/valuesets.ts";
import { diagnosis } from "./fixtures.ts";

/** The ICD-10-PCS codes of VSAC 2.16.840.1.113883.3.117.1.7.1.261 (expansion 20240502), typed from the published file. */
const VSAC_PCS = `0QPD0JZ 0QPF0JZ 0QRD0JZ 0QRF0JZ 0QUD0JZ 0QUF0JZ 0SPC09Z 0SPC0JC 0SPC0JZ 0SPD09Z 0SPD0JC 0SPD0JZ 0SPT0JZ 0SPU0JZ
  0SPV0JZ 0SPW0JZ 0SRC069 0SRC06A 0SRC06Z 0SRC07Z 0SRC0EZ 0SRC0J9 0SRC0JA 0SRC0JZ 0SRC0KZ 0SRC0L9 0SRC0LA 0SRC0LZ 0SRC0M9
  0SRC0MA 0SRC0MZ 0SRC0N9 0SRC0NA 0SRC0NZ 0SRD069 0SRD06A 0SRD06Z 0SRD07Z 0SRD0EZ 0SRD0J9 0SRD0JA 0SRD0JZ 0SRD0KZ 0SRD0L9
  0SRD0LA 0SRD0LZ 0SRD0M9 0SRD0MA 0SRD0MZ 0SRD0N9 0SRD0NA 0SRD0NZ 0SRT07Z 0SRT0J9 0SRT0JA 0SRT0JZ 0SRT0KZ 0SRU07Z 0SRU0J9
  0SRU0JA 0SRU0JZ 0SRU0KZ 0SRV07Z 0SRV0J9 0SRV0JA 0SRV0JZ 0SRV0KZ 0SRW07Z 0SRW0J9 0SRW0JA 0SRW0JZ 0SRW0KZ 0SUC07Z 0SUC09C
  0SUC09Z 0SUC0JZ 0SUC0KZ 0SUD07Z 0SUD09C 0SUD09Z 0SUD0JZ 0SUD0KZ 0SUT09Z 0SUU09Z 0SUV09Z 0SUW09Z 0SWC09Z 0SWC0JC 0SWC0JZ
  0SWD09Z 0SWD0JC 0SWD0JZ 0SWT0JZ 0SWU0JZ 0SWV0JZ 0SWW0JZ`.split(/\s+/);
/** Its SNOMED CT codes. */
const VSAC_SNOMED = `1201734006 1217702001 1220622006 1222566006 1222567002 1222568007 1222569004 1222570003 1231396005 1251509000
  1251510005 179344006 179345007 179351002 179352009 179406003 179411001 179416006 19063003 265170009 265172001 27748003
  29712008 307817008 307819006 443681002 443682009 444463001 445091006 53386008 609588000 64295009 713687000 88056004
  90827004`.split(/\s+/);
/** Left out: "repair of joint of knee" (robotic, right, left), and the supplements with (non)autologous tissue. */
const LEFT_OUT = ["1231396005", "1251509000", "1251510005", "0SUC07Z", "0SUC0KZ", "0SUD07Z", "0SUD0KZ"];

const codesOf = (system: string) => KNEE_REPLACED.codes.filter((entry) => entry.system === system).map((entry) => entry.code).sort();

describe("KNEE_REPLACED", () => {
  it("holds the VSAC knee replacement surgery codes but for the seven that name no replacement", () => {
    expect(VSAC_PCS).toHaveLength(96);
    expect(VSAC_SNOMED).toHaveLength(35);
    expect(codesOf("icd10pcs")).toEqual(VSAC_PCS.filter((code) => !LEFT_OUT.includes(code)).sort());
    expect(codesOf("snomed")).toEqual(VSAC_SNOMED.filter((code) => !LEFT_OUT.includes(code)).sort());
    expect(codesOf("cpt")).toEqual(["27446", "27447"]);
    expect(codesOf("icd10cm")).toEqual(["Z96.65"]);
  });

  it("recognises a knee replacement in each code system and spelling, and an artificial knee on the problem list", () => {
    for (const [system, code] of [
      [SYSTEM.snomed, "609588000"], // Total knee replacement
      [SYSTEM.icd10pcs, "0SRD0JZ"], // Replacement of left knee joint with synthetic substitute
      ["urn:oid:2.16.840.1.113883.6.4", "0SRC0L9"], // ICD-10-PCS by its OID: medial unicondylar, right
      [SYSTEM.cpt, "27447"], // Total knee arthroplasty
      ["urn:oid:2.16.840.1.113883.6.12", "27446"], // CPT by its OID: one compartment
      [SYSTEM.icd10cm, "Z96.651"], // Presence of right artificial knee joint
      [SYSTEM.icd10cm, "Z96653"], // bilateral, without the dot
    ] as const) {
      expect(namesKneeReplacement({ coding: [{ system, code }] }), `${system} ${code}`).toBe(true);
    }
  });

  it("leaves out other joints, other knee surgery, and the codes it drops", () => {
    for (const [system, code] of [
      [SYSTEM.snomed, "52734007"], // Total hip replacement
      [SYSTEM.snomed, "1251509000"], // Repair of joint of right knee
      [SYSTEM.icd10pcs, "0SR9019"], // Replacement of right hip joint
      [SYSTEM.icd10pcs, "0SUC07Z"], // Supplement right knee joint with autologous tissue
      [SYSTEM.cpt, "27130"], // Total hip arthroplasty
      [SYSTEM.cpt, "29881"], // Knee arthroscopy with meniscectomy
      [SYSTEM.icd10cm, "Z96.641"], // Presence of right artificial hip joint
      [SYSTEM.icd10cm, "M17.11"], // Knee OA itself: the outcome, not this table
      ["http://example.org/local", "609588000"], // the code under a system the tables do not know
    ] as const) {
      expect(namesKneeReplacement({ coding: [{ system, code }] }), `${system} ${code}`).toBe(false);
    }
    expect(namesKneeReplacement(undefined)).toBe(false);
    expect(namesKneeReplacement({ text: "total knee replacement" })).toBe(false);
  });

  it("feeds no model input: no diagnosis channel and not knee OA", () => {
    for (const entry of KNEE_REPLACED.codes) {
      if (entry.system !== "icd10cm" && entry.system !== "snomed") continue;
      const match = diagnosis(entry.system, entry.system === "icd10cm" ? "Z96.651" : entry.code);
      expect(match.ids, `${entry.system} ${entry.code}`).toEqual([]);
      expect(match.kneeOa, `${entry.system} ${entry.code}`).toBe(false);
    }
    const channelSystems = new Set(Object.values(DIAGNOSIS_GROUPS).flatMap((group) => group.codes.map((entry) => entry.system)));
    expect(channelSystems.has("icd10pcs") || channelSystems.has("cpt")).toBe(false);
  });
});
