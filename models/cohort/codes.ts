/**
 * The codes the simulator writes, each with the Patella value-set group or class it is meant to
 * fall in (test/models/cohort/codes.test.ts checks every one against shared/valuesets.ts).
 * Diagnosis codes are SNOMED CT and ICD-10-CM (the codes docs/terminology.md starts from, where listed there);
 * medication codes are RxNorm clinical drugs (SCD) and ingredients (IN), and WHO ATC. Every code
 * is one of the value-set entries, whose public sources shared/valuesets/sources.ts names.
 */
import type { DiagnosisGroupId, MedicationClassId } from "../../shared/valuesets.ts";
import type { ChronicKey } from "./parameters.ts";

export const SYSTEMS = {
  snomed: "http://snomed.info/sct",
  icd10cm: "http://hl7.org/fhir/sid/icd-10-cm",
  rxnorm: "http://www.nlm.nih.gov/research/umls/rxnorm",
  atc: "http://www.whocc.no/atc",
  loinc: "http://loinc.org",
  ucum: "http://unitsofmeasure.org",
  conditionCategory: "http://terminology.hl7.org/CodeSystem/condition-category",
  conditionClinical: "http://terminology.hl7.org/CodeSystem/condition-clinical",
  conditionVerification: "http://terminology.hl7.org/CodeSystem/condition-ver-status",
  actCode: "http://terminology.hl7.org/CodeSystem/v3-ActCode",
  observationCategory: "http://terminology.hl7.org/CodeSystem/observation-category",
  /** Site-specific codes no value set knows: the "unknown local codes" noise. */
  localDiagnosis: "http://example.org/fhir/CodeSystem/local-problem",
  localVisitReason: "http://example.org/fhir/CodeSystem/local-visit-reason",
  mrn: "http://example.org/fhir/NamingSystem/mrn",
} as const;

type Pair = readonly [code: string, display: string];

export interface DiagnosisCode {
  /** The value-set group the code must fall in; "knee_oa" is the outcome. */
  group: DiagnosisGroupId | "knee_oa";
  snomed: Pair;
  /** ICD-10-CM variants (e.g. right/left); one is picked per use. */
  icd10: readonly Pair[];
}

/** Every diagnosis the simulator can write, by the simulator's own key. */
export const DIAGNOSES = {
  kneeOa: { group: "knee_oa", snomed: ["239873007", "Osteoarthritis of knee"], icd10: [["M17.11", "Unilateral primary osteoarthritis, right knee"], ["M17.12", "Unilateral primary osteoarthritis, left knee"], ["M17.0", "Bilateral primary osteoarthritis of knee"], ["M17.9", "Osteoarthritis of knee, unspecified"]] },
  kneePain: { group: "knee_pain", snomed: ["30989003", "Knee pain"], icd10: [["M25.561", "Pain in right knee"], ["M25.562", "Pain in left knee"], ["M25.569", "Pain in unspecified knee"]] },
  meniscusTear: { group: "knee_injury", snomed: ["239720000", "Tear of meniscus of knee"], icd10: [["S83.241A", "Other tear of medial meniscus, current injury, right knee, initial encounter"], ["S83.242A", "Other tear of medial meniscus, current injury, left knee, initial encounter"]] },
  aclInjury: { group: "knee_injury", snomed: ["444470001", "Injury of anterior cruciate ligament"], icd10: [["S83.511A", "Sprain of anterior cruciate ligament of right knee, initial encounter"], ["S83.512A", "Sprain of anterior cruciate ligament of left knee, initial encounter"]] },
  mclInjury: { group: "knee_injury", snomed: ["444448004", "Injury of medial collateral ligament of knee"], icd10: [["S83.411A", "Sprain of medial collateral ligament of right knee, initial encounter"], ["S83.412A", "Sprain of medial collateral ligament of left knee, initial encounter"]] },
  oldMeniscusTear: { group: "knee_injury", snomed: ["239720000", "Tear of meniscus of knee"], icd10: [["M23.221", "Derangement of posterior horn of medial meniscus due to old tear or injury, right knee"], ["M23.222", "Derangement of posterior horn of medial meniscus due to old tear or injury, left knee"]] },
  overweight: { group: "obesity", snomed: ["238131007", "Overweight"], icd10: [["E66.3", "Overweight"]] },
  obesity: { group: "obesity", snomed: ["162864005", "Body mass index 30+ - obesity"], icd10: [["E66.9", "Obesity, unspecified"]] },
  severeObesity: { group: "obesity", snomed: ["408512008", "Body mass index 40+ - severely obese"], icd10: [["E66.01", "Morbid (severe) obesity due to excess calories"]] },
  hipOa: { group: "hip_oa", snomed: ["239872002", "Osteoarthritis of hip"], icd10: [["M16.11", "Unilateral primary osteoarthritis, right hip"], ["M16.12", "Unilateral primary osteoarthritis, left hip"], ["M16.0", "Bilateral primary osteoarthritis of hip"]] },
  handOa: { group: "hand_other_oa", snomed: ["201834006", "Localized, primary osteoarthritis of the hand"], icd10: [["M19.041", "Primary osteoarthritis, right hand"], ["M19.042", "Primary osteoarthritis, left hand"]] },
  rheumatoidArthritis: { group: "inflammatory_arthritis", snomed: ["69896004", "Rheumatoid arthritis"], icd10: [["M06.9", "Rheumatoid arthritis, unspecified"]] },
  gout: { group: "gout", snomed: ["90560007", "Gout"], icd10: [["M10.9", "Gout, unspecified"]] },
  type2Diabetes: { group: "diabetes", snomed: ["44054006", "Diabetes mellitus type 2"], icd10: [["E11.9", "Type 2 diabetes mellitus without complications"]] },
  prediabetes: { group: "diabetes", snomed: ["15777000", "Prediabetes"], icd10: [["R73.03", "Prediabetes"]] },
  hypertension: { group: "hypertension", snomed: ["59621000", "Essential hypertension"], icd10: [["I10", "Essential (primary) hypertension"]] },
  hyperlipidemia: { group: "hyperlipidemia", snomed: ["55822004", "Hyperlipidemia"], icd10: [["E78.5", "Hyperlipidemia, unspecified"]] },
  coronaryDisease: { group: "cardiovascular", snomed: ["53741008", "Coronary arteriosclerosis"], icd10: [["I25.10", "Atherosclerotic heart disease of native coronary artery without angina pectoris"]] },
  atrialFibrillation: { group: "cardiovascular", snomed: ["49436004", "Atrial fibrillation"], icd10: [["I48.91", "Unspecified atrial fibrillation"]] },
  ckd: { group: "ckd", snomed: ["709044004", "Chronic kidney disease"], icd10: [["N18.9", "Chronic kidney disease, unspecified"]] },
  depression: { group: "depression_anxiety", snomed: ["35489007", "Depressive disorder"], icd10: [["F32.9", "Major depressive disorder, single episode, unspecified"]] },
  anxiety: { group: "depression_anxiety", snomed: ["197480006", "Anxiety disorder"], icd10: [["F41.9", "Anxiety disorder, unspecified"]] },
  osteoporosis: { group: "osteoporosis", snomed: ["64859006", "Osteoporosis"], icd10: [["M81.0", "Age-related osteoporosis without current pathological fracture"]] },
  chronicBackPain: { group: "back_pain", snomed: ["279039007", "Low back pain"], icd10: [["M54.50", "Low back pain, unspecified"]] },
  metabolicSyndrome: { group: "metabolic_immunity", snomed: ["237602007", "Metabolic syndrome X"], icd10: [["E88.81", "Metabolic syndrome"]] },
  cataract: { group: "eye_adnexa", snomed: ["193570009", "Cataract"], icd10: [["H26.9", "Unspecified cataract"]] },
  conjunctivitis: { group: "eye_adnexa", snomed: ["9826008", "Conjunctivitis"], icd10: [["H10.9", "Unspecified conjunctivitis"]] },
  sinusitis: { group: "acute_respiratory_infection", snomed: ["444814009", "Viral sinusitis"], icd10: [["J01.90", "Acute sinusitis, unspecified"]] },
  bronchitis: { group: "acute_respiratory_infection", snomed: ["10509002", "Acute bronchitis"], icd10: [["J20.9", "Acute bronchitis, unspecified"]] },
  pharyngitis: { group: "acute_respiratory_infection", snomed: ["195662009", "Acute viral pharyngitis"], icd10: [["J02.9", "Acute pharyngitis, unspecified"]] },
  commonCold: { group: "acute_respiratory_infection", snomed: ["82272006", "Common cold"], icd10: [["J00", "Acute nasopharyngitis [common cold]"]] },
} as const satisfies Record<string, DiagnosisCode>;
export type DiagnosisKey = keyof typeof DIAGNOSES;

/** The diagnosis written for each chronic condition of parameters.ts. */
export const CHRONIC_DIAGNOSIS: { readonly [K in ChronicKey]: DiagnosisKey } = {
  hypertension: "hypertension",
  hyperlipidemia: "hyperlipidemia",
  type2Diabetes: "type2Diabetes",
  prediabetes: "prediabetes",
  coronaryDisease: "coronaryDisease",
  atrialFibrillation: "atrialFibrillation",
  ckd: "ckd",
  depression: "depression",
  anxiety: "anxiety",
  osteoporosis: "osteoporosis",
  chronicBackPain: "chronicBackPain",
  rheumatoidArthritis: "rheumatoidArthritis",
  gout: "gout",
  metabolicSyndrome: "metabolicSyndrome",
  cataract: "cataract",
};

export const RESPIRATORY_INFECTIONS: readonly DiagnosisKey[] = ["sinusitis", "bronchitis", "pharyngitis", "commonCold"];

export interface MedicationCode {
  /** The value-set class the drug must fall in. */
  medicationClass: MedicationClassId;
  display: string;
  /** RxNorm clinical drug (SCD), when the simulator writes one. */
  scd?: string;
  /** RxNorm ingredient, written as a second coding by some sites. */
  ingredient?: string;
  /** WHO ATC, written by some sites; the only code of drugs without an SCD or ingredient here. */
  atc?: string;
  /** A drug given once (an injection) rather than taken daily. */
  singleDose?: boolean;
}

export const MEDICATIONS = {
  ibuprofen200: { medicationClass: "nsaid_oral", display: "ibuprofen 200 MG Oral Tablet", scd: "310965", ingredient: "5640", atc: "M01AE01" },
  // No product code: the one written before (197806) could not be verified against a public table.
  ibuprofen600: { medicationClass: "nsaid_oral", display: "ibuprofen 600 MG Oral Tablet", ingredient: "5640", atc: "M01AE01" },
  naproxen500: { medicationClass: "nsaid_oral", display: "naproxen 500 MG Oral Tablet", scd: "198014", ingredient: "7258", atc: "M01AE02" },
  naproxenSodium220: { medicationClass: "nsaid_oral", display: "naproxen sodium 220 MG Oral Tablet", scd: "849574", ingredient: "7258", atc: "M01AE02" },
  celecoxib200: { medicationClass: "nsaid_oral", display: "celecoxib 200 MG Oral Capsule", scd: "205323", ingredient: "140587", atc: "M01AH01" },
  diclofenacGel: { medicationClass: "nsaid_topical", display: "diclofenac sodium 10 MG/ML Topical Gel", atc: "M02AA15" },
  acetaminophen325: { medicationClass: "paracetamol", display: "acetaminophen 325 MG Oral Tablet", scd: "313782", ingredient: "161", atc: "N02BE01" },
  acetaminophen500: { medicationClass: "paracetamol", display: "acetaminophen 500 MG Oral Tablet", scd: "198440", ingredient: "161", atc: "N02BE01" },
  tramadol50: { medicationClass: "opioid", display: "tramadol hydrochloride 50 MG Oral Tablet", scd: "835603", ingredient: "10689", atc: "N02AX02" },
  prednisone20: { medicationClass: "corticosteroid_systemic", display: "prednisone 20 MG Oral Tablet", scd: "312615", ingredient: "8640", atc: "H02AB07" },
  triamcinoloneInjection: { medicationClass: "intraarticular_injection", display: "triamcinolone acetonide 40 MG/ML Injectable Suspension (intra-articular)", ingredient: "10759", singleDose: true },
  hyaluronicInjection: { medicationClass: "intraarticular_injection", display: "sodium hyaluronate intra-articular injection", atc: "M09AX01", singleDose: true },
  glucosamine: { medicationClass: "glucosamine_chondroitin", display: "glucosamine sulfate 1500 MG Oral Tablet", atc: "M01AX05" },
  duloxetine30: { medicationClass: "duloxetine", display: "duloxetine 30 MG Delayed Release Oral Capsule", scd: "596926", ingredient: "72625", atc: "N06AX21" },
  metformin500: { medicationClass: "antidiabetic", display: "24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet", scd: "860975", ingredient: "6809", atc: "A10BA02" },
  lisinopril10: { medicationClass: "antihypertensive", display: "lisinopril 10 MG Oral Tablet", scd: "314076", ingredient: "29046", atc: "C09AA03" },
  amlodipine5: { medicationClass: "antihypertensive", display: "amlodipine 5 MG Oral Tablet", scd: "197361", ingredient: "17767", atc: "C08CA01" },
  hydrochlorothiazide25: { medicationClass: "antihypertensive", display: "hydrochlorothiazide 25 MG Oral Tablet", scd: "310798", ingredient: "5487", atc: "C03AA03" },
  simvastatin20: { medicationClass: "lipid_lowering", display: "simvastatin 20 MG Oral Tablet", scd: "312961", ingredient: "36567", atc: "C10AA01" },
  atorvastatin20: { medicationClass: "lipid_lowering", display: "atorvastatin 20 MG Oral Tablet", scd: "617310", ingredient: "83367", atc: "C10AA05" },
  methotrexate25: { medicationClass: "dmard", display: "methotrexate 2.5 MG Oral Tablet", scd: "105585", ingredient: "6851", atc: "L04AX03" },
  allopurinol100: { medicationClass: "urate_lowering", display: "allopurinol 100 MG Oral Tablet", scd: "197319", ingredient: "519", atc: "M04AA01" },
} as const satisfies Record<string, MedicationCode>;
export type MedicationKey = keyof typeof MEDICATIONS;

/** The drugs that may treat each chronic condition that has a drug chance in parameters.ts. */
export const CHRONIC_DRUGS: { readonly [K in ChronicKey]?: readonly MedicationKey[] } = {
  hypertension: ["lisinopril10", "amlodipine5", "hydrochlorothiazide25"],
  hyperlipidemia: ["simvastatin20", "atorvastatin20"],
  type2Diabetes: ["metformin500"],
  depression: ["duloxetine30"],
  rheumatoidArthritis: ["methotrexate25"],
  gout: ["allopurinol100"],
};

export const ORAL_NSAIDS: readonly MedicationKey[] = ["ibuprofen200", "ibuprofen600", "naproxen500", "naproxenSodium220"];
export const PARACETAMOL: readonly MedicationKey[] = ["acetaminophen325", "acetaminophen500"];
export const OA_NSAIDS: readonly MedicationKey[] = ["celecoxib200", "naproxen500", "ibuprofen600"];

/** Visit types (SNOMED CT procedures). */
export const VISIT_TYPES = {
  checkUp: ["185349003", "Encounter for check up"],
  followUp: ["390906007", "Follow-up encounter"],
  symptom: ["185345009", "Encounter for symptom"],
  physiotherapy: ["91251008", "Physical therapy procedure"],
  injection: ["18629005", "Administration of drug or medicament"],
} as const satisfies Record<string, Pair>;

/** Reasons for visits that only the site's local code system knows. */
export const LOCAL_VISIT_REASONS: readonly Pair[] = [
  ["ADM-FORM", "Administrative: form completion"],
  ["RX-REFILL", "Prescription refill request"],
  ["TRAVEL-ADV", "Travel advice"],
  ["LAB-REVIEW", "Laboratory results review"],
];

export const LOINC = {
  bmi: ["39156-5", "Body mass index (BMI) [Ratio]"],
  weight: ["29463-7", "Body weight"],
  height: ["8302-2", "Body height"],
  pain: ["72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"],
  smoking: ["72166-2", "Tobacco smoking status"],
} as const satisfies Record<string, Pair>;

export const SMOKING_STATUS = {
  current: ["449868002", "Smokes tobacco daily"],
  former: ["8517006", "Ex-smoker"],
  never: ["266919005", "Never smoked tobacco"],
} as const satisfies Record<string, Pair>;
