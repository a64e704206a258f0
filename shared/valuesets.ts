/**
 * Patella value sets: the codes that put a FHIR coding into a Deep-KOA diagnosis group or
 * medication class, and the codes of the outcome (knee osteoarthritis).
 *
 * One module, versioned: VALUE_SETS_VERSION changes whenever any table below changes, and the
 * feature-spec version (shared/features/spec.ts) includes it, so a model trained on one
 * version of these tables is never fed features built with another.
 *
 * OWNER NOTE (skeleton written by the lead; the value-set helper fills the tables): the ids,
 * the types and the function signatures below are the contract other modules code against.
 */
import type { CodeableConcept, Coding } from "fhir/r4";

export const VALUE_SETS_VERSION = "0.0.0-skeleton";

export const SYSTEM = {
  snomed: "http://snomed.info/sct",
  icd10cm: "http://hl7.org/fhir/sid/icd-10-cm",
  icd9cm: "http://hl7.org/fhir/sid/icd-9-cm",
  rxnorm: "http://www.nlm.nih.gov/research/umls/rxnorm",
  atc: "http://www.whocc.no/atc",
  loinc: "http://loinc.org",
} as const;

/** Diagnosis groups, in channel order. Never reorder: append, and bump the version. */
export const DIAGNOSIS_GROUP_IDS = [
  "obesity",
  "knee_injury",
  "knee_pain",
  "hip_oa",
  "hand_other_oa",
  "inflammatory_arthritis",
  "gout",
  "diabetes",
  "hypertension",
  "hyperlipidemia",
  "cardiovascular",
  "ckd",
  "depression_anxiety",
  "osteoporosis",
  "back_pain",
  "eye_adnexa",
  "acute_respiratory_infection",
  "metabolic_immunity",
] as const;
export type DiagnosisGroupId = (typeof DIAGNOSIS_GROUP_IDS)[number];

/** Medication classes, in channel order. Never reorder: append, and bump the version. */
export const MEDICATION_CLASS_IDS = [
  "nsaid_oral",
  "nsaid_topical",
  "paracetamol",
  "opioid",
  "corticosteroid_systemic",
  "intraarticular_injection",
  "glucosamine_chondroitin",
  "duloxetine",
  "antidiabetic",
  "antihypertensive",
  "lipid_lowering",
  "dmard",
  "urate_lowering",
] as const;
export type MedicationClassId = (typeof MEDICATION_CLASS_IDS)[number];
