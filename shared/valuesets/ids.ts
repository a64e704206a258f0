/**
 * The ids of the diagnosis groups and medication classes, in channel order: the feature tensor
 * (shared/features/spec.ts) has one channel per id, in this order.
 */

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
