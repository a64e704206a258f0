import { describe, expect, it } from "vitest";
import { MEDICATION_CLASS_IDS, MEDICATION_CLASSES, SYSTEM, type MedicationClassId } from "../../../shared/valuesets.ts";
import { medication, sampleCode } from "./fixtures.ts";

describe("medication classes: real codes from every class", () => {
  // [class, RxNorm code, ATC code]; RxNorm null where no RxNorm code of the class is verified.
  const cases: readonly (readonly [MedicationClassId, string | null, string])[] = [
    ["nsaid_oral", "849574", "M01AH01"],
    ["nsaid_topical", null, "M02AA15"],
    ["paracetamol", "313782", "N02BE01"],
    ["opioid", "1860154", "N02AX02"],
    ["corticosteroid_systemic", "312615", "H02AB07"],
    ["intraarticular_injection", "10759", "M09AX01"],
    ["glucosamine_chondroitin", null, "M01AX05"],
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
 * Every RxNorm code in Synthea's published sample sets (smart-on-fhir sample-bulk-fhir-datasets
 * and bulk-data-server; checked by hand when the tables were written; this test reads no data) whose display names an ingredient of a
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

describe("combination products", () => {
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
      "rxnorm|1310197": ["paracetamol", "opioid"],
      "atc|N02AJ06": ["paracetamol", "opioid"],
      "atc|N02AJ13": ["paracetamol", "opioid"],
      "atc|N02AJ17": ["paracetamol", "opioid"],
    });
  });
});
