/**
 * The reference ("neutral") value each explained feature group is replaced with when its
 * effect is measured by occlusion. Documented in models/deep-koa/MODEL_CARD.md.
 *
 * - Diagnosis and medication channels: all zeros (nothing recorded in 3 years).
 * - Age: 50 years, the centre of the age scaling.
 * - Sex: halfway between female and male (0.5 / 0.5): the effect shown is that of being female
 *   (or male) against the average of both, not against "unknown", which the model rarely saw.
 * - BMI: 22 kg/m2, recorded: the middle of the WHO healthy-weight range (18.5-24.9), so an
 *   overweight or obese BMI, which raises knee OA risk, shows as raising it. (It was 25, the
 *   edge of that range, until measured: a BMI of 25-30 then sat in the reference's own WHO
 *   category and showed as a driver with no real effect; models/deep-koa/MODEL_CARD.md.)
 *   A missing BMI is not explained at all: it is a caveat about the data, not a driver.
 */
import { STATIC_FEATURES, type StaticFeatureName } from "../features/spec.ts";
import { AGE_CENTER, AGE_SCALE, BMI_CENTER, BMI_SCALE } from "../features/static-features.ts";

export interface ExplanationReference {
  ageYears: number;
  bmi: number;
}

export const EXPLANATION_REFERENCE: Readonly<ExplanationReference> = Object.freeze({ ageYears: 50, bmi: 22 });

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
