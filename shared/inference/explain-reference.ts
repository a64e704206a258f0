/**
 * The reference ("neutral") value each explained feature group is replaced with when its
 * effect is measured by occlusion. Documented in models/deep-koa/MODEL_CARD.md.
 *
 * - Diagnosis and medication channels: all zeros (nothing recorded in 3 years).
 * - Age: 50 years, the centre of the age scaling.
 * - Sex: halfway between female and male (0.5 / 0.5): the effect shown is that of being female
 *   (or male) against the average of both, not against "unknown", which the model rarely saw.
 * - BMI: 25 kg/m2 (upper end of healthy weight) and recorded, so a high BMI shows as a risk
 *   factor and a missing BMI shows the effect of not knowing it.
 */
import { STATIC_FEATURES, type StaticFeatureName } from "../features/spec.ts";
import { AGE_CENTER, AGE_SCALE, BMI_CENTER, BMI_SCALE } from "../features/static-features.ts";

export interface ExplanationReference {
  ageYears: number;
  bmi: number;
}

export const EXPLANATION_REFERENCE: Readonly<ExplanationReference> = Object.freeze({ ageYears: 50, bmi: 25 });

export const staticIndex = (name: StaticFeatureName): number => STATIC_FEATURES.indexOf(name);

/** Scaled static values to write for each static group at its reference. */
export function referenceStatics(ref: Readonly<ExplanationReference>): Record<"age" | "sex" | "bmi", [StaticFeatureName, number][]> {
  return {
    age: [["age", (ref.ageYears - AGE_CENTER) / AGE_SCALE]],
    sex: [
      ["sex_female", 0.5],
      ["sex_male", 0.5],
    ],
    bmi: [
      ["bmi", (ref.bmi - BMI_CENTER) / BMI_SCALE],
      ["bmi_missing", 0],
    ],
  };
}
