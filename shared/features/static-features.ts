/** The static feature vector in STATIC_FEATURES order, scaled as models/FEATURES.md says. */
import { STATIC_FEATURES, type StaticFeatureName } from "./spec.ts";
import { MAX_HISTORY_YEARS } from "./record-history.ts";
import type { PatientFeatures } from "./types.ts";

/** Centre and spread of the scaled values, chosen so adult values fall roughly in -2..2. */
export const AGE_CENTER = 50;
export const AGE_SCALE = 20;
export const BMI_CENTER = 28;
export const BMI_SCALE = 6;

export function scaleStatic(demographics: PatientFeatures["demographics"]): Float32Array {
  const { ageYears, sex, bmi, historyYears } = demographics;
  const values: Record<StaticFeatureName, number> = {
    // Unknown age only occurs for ineligible patients; 0 keeps the tensor finite.
    age: ageYears === null ? 0 : (ageYears - AGE_CENTER) / AGE_SCALE,
    sex_female: sex === "female" ? 1 : 0,
    sex_male: sex === "male" ? 1 : 0,
    bmi: bmi === null ? 0 : (bmi - BMI_CENTER) / BMI_SCALE,
    bmi_missing: bmi === null ? 1 : 0,
    history_years: Math.min(historyYears, MAX_HISTORY_YEARS) / MAX_HISTORY_YEARS,
  };
  return Float32Array.from(STATIC_FEATURES, (name) => values[name]);
}
