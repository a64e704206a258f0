/**
 * The simulator's true direction for each explanation driver of a patient, for
 * `npm run evaluate:explanations` (explanation-check.ts).
 *
 * What "effect in the simulator" means (models/cohort/README.md, parameters.ts):
 * - raises the risk: the onset hazard's factors as the record shows them (obesity codes, knee
 *   injury, hip OA, hand OA, a BMI in a higher WHO category than the reference), and the
 *   prodrome that follows a latent onset (knee pain visits with oral NSAIDs and paracetamol);
 * - age and sex: the sign of the difference in the simulator's incidence targets between the
 *   patient and the reference the driver is compared with;
 * - no effect: every other group (the chronic conditions and their drugs, which only correlate
 *   with BMI or age), treatments the simulator gives only after a diagnosis, a missing BMI (it
 *   is missing at random), and a BMI in the reference's WHO category.
 */
import type { PatientFeatures } from "../../shared/features/types.ts";
import { EXPLANATION_REFERENCE } from "../../shared/inference/explain-reference.ts";
import { BMI_OBESE, BMI_OVERWEIGHT, HAZARD_RATIOS, KNEE_OA_INCIDENCE_PER_100K } from "../cohort/parameters.ts";

/** Groups the simulator links to a higher risk; every other channel has no effect. */
const RAISES_RISK = new Set([
  "diagnosis:obesity",
  "diagnosis:knee_injury",
  "diagnosis:knee_pain",
  "diagnosis:hip_oa",
  "diagnosis:hand_other_oa",
  "medication:nsaid_oral",
  "medication:paracetamol",
]);

/** 1 raises the risk, -1 lowers it, 0 no effect. */
export type Truth = 1 | -1 | 0;

function incidence(ageYears: number, sex: "female" | "male"): number {
  return KNEE_OA_INCIDENCE_PER_100K.find((b) => ageYears >= b.from && ageYears < b.to)?.[sex] ?? (ageYears < 20 ? 0 : KNEE_OA_INCIDENCE_PER_100K.at(-1)![sex]);
}

function bmiHazard(bmi: number): number {
  return bmi >= BMI_OBESE ? HAZARD_RATIOS.obese : bmi >= BMI_OVERWEIGHT ? HAZARD_RATIOS.overweight : 1;
}

/** The simulator's direction for one driver of one patient (see the module comment). */
export function simulatorDirection(key: string, features: PatientFeatures): Truth {
  const { ageYears, sex, bmi } = features.demographics;
  const known = sex === "female" || sex === "male" ? sex : null;
  switch (key) {
    case "age":
      return ageYears === null || known === null ? 0 : (Math.sign(incidence(ageYears, known) - incidence(EXPLANATION_REFERENCE.ageYears, known)) as Truth);
    case "sex": {
      if (ageYears === null || known === null) return 0;
      const femaleExcess = Math.sign(incidence(ageYears, "female") - incidence(ageYears, "male")) as Truth;
      return (known === "female" || femaleExcess === 0 ? femaleExcess : -femaleExcess) as Truth;
    }
    case "bmi":
      return bmi === null ? 0 : (Math.sign(bmiHazard(bmi) - bmiHazard(EXPLANATION_REFERENCE.bmi)) as Truth);
    default:
      return RAISES_RISK.has(key) ? 1 : 0;
  }
}
