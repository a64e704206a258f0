import type { CodeableConcept } from "fhir/r4";
import { describe, expect, it } from "vitest";
import {
  DIAGNOSIS_GROUP_IDS,
  DIAGNOSIS_GROUPS,
  MEDICATION_CLASS_IDS,
  MEDICATION_CLASSES,
  SYSTEM,
  matchDiagnosis,
  matchMedication,
} from "../../../shared/valuesets.ts";
import { concept, diagnosis, medication, sampleCode } from "./fixtures.ts";

describe("matching rules", () => {
  it("compares ICD codes with or without the dot, in any case, with surrounding spaces", () => {
    for (const code of ["E11.9", "E119", "e11.9", " E11.9 "]) expect(diagnosis("icd10cm", code).ids).toEqual(["diabetes"]);
    for (const code of ["250.00", "25000"]) expect(diagnosis("icd9cm", code).ids).toEqual(["diabetes"]);
  });

  it("applies prefix rules to every longer ICD code, 7th characters included", () => {
    expect(diagnosis("icd10cm", "S83.241A").ids).toEqual(["knee_injury"]);
    expect(diagnosis("icd10cm", "M23.221").ids).toEqual(["knee_injury", "knee_pain"]);
    expect(diagnosis("icd10cm", "M23.41").ids).toEqual(["knee_pain"]);
  });

  it("applies ranges to their categories and nothing beyond", () => {
    expect(diagnosis("icd10cm", "H00.011").ids).toEqual(["eye_adnexa"]);
    expect(diagnosis("icd10cm", "H59.89").ids).toEqual(["eye_adnexa"]);
    expect(diagnosis("icd10cm", "H60.00").ids).toEqual([]);
    expect(diagnosis("icd10cm", "J06.9").ids).toEqual(["acute_respiratory_infection"]);
    expect(diagnosis("icd10cm", "J18.9").ids).toEqual(["acute_respiratory_infection"]);
    expect(diagnosis("icd10cm", "J30.9").ids).toEqual([]);
    expect(diagnosis("icd10cm", "Z68.24").ids).toEqual([]);
    expect(diagnosis("icd10cm", "Z68.25").ids).toEqual(["obesity"]);
    expect(diagnosis("icd10cm", "Z68.45").ids).toEqual(["obesity"]);
    expect(diagnosis("icd9cm", "379.91").ids).toEqual(["eye_adnexa"]);
    expect(diagnosis("icd9cm", "380.10").ids).toEqual([]);
  });

  it("keeps ICD-9-CM type 1 diabetes (fifth digit 1) out of the type 2 group", () => {
    expect(diagnosis("icd9cm", "250.02").ids).toEqual(["diabetes"]);
    expect(diagnosis("icd9cm", "250.01").ids).toEqual([]);
  });

  it("matches SNOMED CT and RxNorm exactly, never by prefix", () => {
    expect(diagnosis("snomed", "4405400").ids).toEqual([]);
    expect(diagnosis("snomed", "440540061").ids).toEqual([]);
    expect(medication("rxnorm", "31096").ids).toEqual([]);
  });

  it("applies ATC prefixes", () => {
    expect(medication("atc", "M01AE01").ids).toEqual(["nsaid_oral"]);
    expect(medication("atc", "m01ae01").ids).toEqual(["nsaid_oral"]);
    expect(medication("atc", "C09AA03").ids).toEqual(["antihypertensive"]);
    expect(medication("atc", "M02AA15").ids).toEqual(["nsaid_topical"]);
  });

  it("reads every coding of a concept, deduplicates and returns channel order", () => {
    const m = matchDiagnosis(concept(["icd10cm", "I12.9"], ["snomed", "44054006"], ["snomed", "59621000"], ["icd10cm", "I10"]));
    expect(m.ids).toEqual(["diabetes", "hypertension", "ckd"]);
    expect(m.unmapped).toEqual([]);
  });

  it("puts a code in several groups where the sets overlap", () => {
    expect(diagnosis("icd10cm", "I12.9").ids).toEqual(["hypertension", "ckd"]);
    expect(diagnosis("icd10cm", "E66.01").ids).toEqual(["obesity", "metabolic_immunity"]);
    expect(diagnosis("snomed", "127013003").ids).toEqual(["diabetes", "ckd"]);
    expect(diagnosis("snomed", "1551000119108").ids).toEqual(["diabetes", "eye_adnexa"]);
  });

  it("reports codings that match nothing as system|code, and still matches the others", () => {
    const m = matchDiagnosis({
      coding: [
        { system: SYSTEM.snomed, code: "44054006" },
        { system: SYSTEM.snomed, code: "160903007" },
        { code: "LOCAL-7" },
        { system: "http://example.org/local", code: "KNEE" },
        { system: SYSTEM.rxnorm, code: "5640" },
        { system: SYSTEM.snomed },
        { display: "text only" },
      ],
    });
    expect(m.ids).toEqual(["diabetes"]);
    expect(m.unmapped).toEqual([`${SYSTEM.snomed}|160903007`, "|LOCAL-7", "http://example.org/local|KNEE", `${SYSTEM.rxnorm}|5640`]);
  });

  it("answers empty for an absent, empty or malformed concept instead of throwing", () => {
    const empty = { ids: [], unmapped: [] };
    expect(matchMedication(undefined)).toEqual(empty);
    expect(matchMedication({})).toEqual(empty);
    expect(matchMedication({ text: "ibuprofen" })).toEqual(empty);
    expect(matchMedication({ coding: "5640" } as unknown as CodeableConcept)).toEqual(empty);
    expect(matchMedication({ coding: [null, 7] } as unknown as CodeableConcept)).toEqual(empty);
    expect(matchDiagnosis(undefined)).toEqual({ ...empty, kneeOa: false });
  });

  it("accepts the HL7 OIDs of the code systems and WHO ICD-10", () => {
    expect(matchDiagnosis({ coding: [{ system: "urn:oid:2.16.840.1.113883.6.96", code: "239873007" }] }).kneeOa).toBe(true);
    expect(matchDiagnosis({ coding: [{ system: "urn:oid:2.16.840.1.113883.6.90", code: "M54.5" }] }).ids).toEqual(["back_pain"]);
    expect(matchDiagnosis({ coding: [{ system: "http://hl7.org/fhir/sid/icd-10", code: "M17.1" }] }).kneeOa).toBe(true);
    expect(matchMedication({ coding: [{ system: "urn:oid:2.16.840.1.113883.6.88", code: "197319" }] }).ids).toEqual(["urate_lowering"]);
  });

  it("matches every entry of every set to that set", () => {
    for (const id of DIAGNOSIS_GROUP_IDS) {
      for (const entry of DIAGNOSIS_GROUPS[id].codes) expect(diagnosis(entry.system, sampleCode(entry)).ids, entry.code).toContain(id);
    }
    for (const id of MEDICATION_CLASS_IDS) {
      for (const entry of MEDICATION_CLASSES[id].codes) expect(medication(entry.system, sampleCode(entry)).ids, entry.code).toContain(id);
    }
  });
});
