import type { CodeableConcept } from "fhir/r4";
import { describe, expect, it } from "vitest";
import {
  DIAGNOSIS_GROUP_IDS,
  DIAGNOSIS_GROUPS,
  KNEE_OA,
  MEDICATION_CLASS_IDS,
  MEDICATION_CLASSES,
  SYSTEM,
  VALUE_SETS_VERSION,
  matchDiagnosis,
  matchMedication,
  type CodeSystemKey,
  type DiagnosisGroupId,
  type MedicationClassId,
  type ValueSetEntry,
} from "../../shared/valuesets.ts";

/** A concept with one coding per [system key, code] pair. */
function concept(...codings: readonly (readonly [CodeSystemKey, string])[]): CodeableConcept {
  return { coding: codings.map(([system, code]) => ({ system: SYSTEM[system], code })) };
}
const diagnosis = (system: CodeSystemKey, code: string) => matchDiagnosis(concept([system, code]));
const medication = (system: CodeSystemKey, code: string) => matchMedication(concept([system, code]));

/** One coding that an entry must match: the code itself, or the first category of a range. */
function sampleCode(entry: ValueSetEntry): string {
  return entry.match === "range" ? entry.code.split("-")[0]! : entry.code;
}

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
});

describe("medication classes: real codes from every class", () => {
  // [class, RxNorm code, ATC code]; RxNorm null where no RxNorm code of the class is verified.
  const cases: readonly (readonly [MedicationClassId, string | null, string])[] = [
    ["nsaid_oral", "849574", "M01AH01"],
    ["nsaid_topical", null, "M02AA15"],
    ["paracetamol", "313782", "N02BE01"],
    ["opioid", "1860154", "N02AX02"],
    ["corticosteroid_systemic", "312615", "H02AB07"],
    ["intraarticular_injection", "10759", "M09AX01"],
    ["glucosamine_chondroitin", "4845", "M01AX05"],
    ["duloxetine", "72625", "N06AX21"],
    ["antidiabetic", "860975", "A10BA02"],
    ["antihypertensive", "314076", "C09AA03"],
    ["lipid_lowering", "312961", "C10AA01"],
    ["dmard", "105585", "L04AX03"],
    ["urate_lowering", "197319", "M04AA01"],
  ];

  it("covers all 13 classes", () => {
    expect(cases.map(([id]) => id)).toEqual([...MEDICATION_CLASS_IDS]);
  });

  it.each(cases)("%s: RxNorm %s and ATC %s", (id, rxnorm, atcCode) => {
    if (rxnorm !== null) expect(medication("rxnorm", rxnorm).ids).toEqual([id]);
    expect(medication("atc", atcCode).ids).toEqual([id]);
  });

  it("keeps glucosamine and chondroitin out of the NSAID channel although ATC files them under M01A", () => {
    expect(medication("atc", "M01AX05").ids).toEqual(["glucosamine_chondroitin"]);
    expect(medication("atc", "M01AX25").ids).toEqual(["glucosamine_chondroitin"]);
    expect(medication("atc", "M01AX01").ids).toEqual(["nsaid_oral"]);
  });
});

/**
 * Every RxNorm code in the Synthea sample sets (../shared/data, checked by hand when the tables
 * were written; this test does not read that folder) whose display names an ingredient of a
 * class, with the classes it must fall in.
 */
const SYNTHEA_PRODUCTS: readonly (readonly [string, string, readonly MedicationClassId[]])[] = [
  ["849574", "Naproxen sodium 220 MG Oral Tablet", ["nsaid_oral"]],
  ["198014", "Naproxen 500 MG Oral Tablet", ["nsaid_oral"]],
  ["310965", "Ibuprofen 200 MG Oral Tablet", ["nsaid_oral"]],
  ["198405", "Ibuprofen 100 MG Oral Tablet", ["nsaid_oral"]],
  ["206905", "Ibuprofen 400 MG Oral Tablet [Ibu]", ["nsaid_oral"]],
  ["313782", "Acetaminophen 325 MG Oral Tablet", ["paracetamol"]],
  ["209387", "Acetaminophen 325 MG Oral Tablet [Tylenol]", ["paracetamol"]],
  ["313820", "Acetaminophen 160 MG Chewable Tablet", ["paracetamol"]],
  ["1043400", "Acetaminophen 21.7 MG/ML / Dextromethorphan Hydrobromide 1 MG/ML / doxylamine succinate 0.417 MG/ML Oral Solution", ["paracetamol"]],
  ["1049221", "Acetaminophen 325 MG / oxyCODONE Hydrochloride 5 MG Oral Tablet", ["paracetamol", "opioid"]],
  ["856987", "Acetaminophen 300 MG / HYDROcodone Bitartrate 5 MG Oral Tablet", ["paracetamol", "opioid"]],
  ["1860154", "Abuse-Deterrent 12 HR Oxycodone Hydrochloride 15 MG Extended Release Oral Tablet", ["opioid"]],
  ["861467", "Meperidine Hydrochloride 50 MG Oral Tablet", ["opioid"]],
  ["860975", "24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet", ["antidiabetic"]],
  ["106892", "insulin isophane, human 70 UNT/ML / insulin, regular, human 30 UNT/ML Injectable Suspension [Humulin]", ["antidiabetic"]],
  ["310798", "Hydrochlorothiazide 25 MG Oral Tablet", ["antihypertensive"]],
  ["429503", "Hydrochlorothiazide 12.5 MG", ["antihypertensive"]],
  ["314076", "lisinopril 10 MG Oral Tablet", ["antihypertensive"]],
  ["197361", "Amlodipine 5 MG Oral Tablet", ["antihypertensive"]],
  ["999967", "amLODIPine 5 MG / Hydrochlorothiazide 12.5 MG / Olmesartan medoxomil 20 MG Oral Tablet", ["antihypertensive"]],
  ["746030", "Atenolol 50 MG / Chlorthalidone 25 MG Oral Tablet", ["antihypertensive"]],
  ["897718", "Verapamil Hydrochloride 40 MG", ["antihypertensive"]],
  ["866412", "24 HR metoprolol succinate 100 MG Extended Release Oral Tablet", ["antihypertensive"]],
  ["314231", "Simvastatin 10 MG Oral Tablet", ["lipid_lowering"]],
  ["312961", "Simvastatin 20 MG Oral Tablet", ["lipid_lowering"]],
  ["105585", "Methotrexate 2.5 MG Oral Tablet", ["dmard"]],
  ["312615", "predniSONE 20 MG Oral Tablet", ["corticosteroid_systemic"]],
  ["197319", "Allopurinol 100 MG Oral Tablet", ["urate_lowering"]],
];

/** Sample-data products that name a related ingredient but are left out on purpose. */
const SYNTHEA_EXCLUDED: readonly (readonly [string, string])[] = [
  ["243670", "Aspirin 81 MG Oral Tablet"],
  ["106258", "Hydrocortisone 10 MG/ML Topical Cream"],
  ["895994", "120 ACTUAT Fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler"],
  ["351109", "budesonide 0.25 MG/ML Inhalation Suspension"],
  ["1664463", "24 HR tacrolimus 1 MG Extended Release Oral Tablet"],
];

describe("Synthea sample-data products", () => {
  it.each(SYNTHEA_PRODUCTS)("RxNorm %s (%s) is classified", (code, _display, classes) => {
    expect(medication("rxnorm", code).ids).toEqual(classes);
  });

  it.each(SYNTHEA_EXCLUDED)("RxNorm %s (%s) stays unclassified and is reported", (code) => {
    expect(medication("rxnorm", code)).toEqual({ ids: [], unmapped: [`${SYSTEM.rxnorm}|${code}`] });
  });
});

describe("the tables", () => {
  /** Every table code that falls in more than one medication class, with those classes. */
  function medicationOverlaps(): Map<string, readonly MedicationClassId[]> {
    const overlaps = new Map<string, readonly MedicationClassId[]>();
    for (const id of MEDICATION_CLASS_IDS) {
      for (const entry of MEDICATION_CLASSES[id].codes) {
        const ids = medication(entry.system, sampleCode(entry)).ids;
        if (ids.length > 1) overlaps.set(`${entry.system}|${entry.code}`, ids);
      }
    }
    return overlaps;
  }

  it("maps no code to two medication classes except combination products", () => {
    // Intended: each is an opioid combined with paracetamol, and feeds both channels.
    expect(Object.fromEntries(medicationOverlaps())).toEqual({
      "rxnorm|1049221": ["paracetamol", "opioid"],
      "rxnorm|856987": ["paracetamol", "opioid"],
      "rxnorm|857005": ["paracetamol", "opioid"],
      "rxnorm|856980": ["paracetamol", "opioid"],
      "rxnorm|1049635": ["paracetamol", "opioid"],
      "atc|N02AJ06": ["paracetamol", "opioid"],
      "atc|N02AJ13": ["paracetamol", "opioid"],
      "atc|N02AJ17": ["paracetamol", "opioid"],
    });
  });

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

  it("matches every entry of every set to that set", () => {
    for (const id of DIAGNOSIS_GROUP_IDS) {
      for (const entry of DIAGNOSIS_GROUPS[id].codes) expect(diagnosis(entry.system, sampleCode(entry)).ids, entry.code).toContain(id);
    }
    for (const id of MEDICATION_CLASS_IDS) {
      for (const entry of MEDICATION_CLASSES[id].codes) expect(medication(entry.system, sampleCode(entry)).ids, entry.code).toContain(id);
    }
  });

  it("are frozen", () => {
    expect(Object.isFrozen(DIAGNOSIS_GROUPS.obesity.codes)).toBe(true);
    expect(Object.isFrozen(MEDICATION_CLASSES.opioid.codes[0])).toBe(true);
    expect(Object.isFrozen(KNEE_OA)).toBe(true);
    expect(() => (DIAGNOSIS_GROUPS.obesity.codes as ValueSetEntry[]).push(DIAGNOSIS_GROUPS.gout.codes[0]!)).toThrow(TypeError);
  });

  it("carry a date-based version", () => {
    expect(VALUE_SETS_VERSION).toMatch(/^\d{4}\.\d{1,2}\.\d+$/);
  });
});
