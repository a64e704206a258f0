/**
 * Obesity in adults is a BMI of 30 kg/m2 or more (WHO Technical Report Series 894, 2000). The
 * card suggests weight management from it, and the evaluation of the what-if checks the same
 * patients (models/evaluation/explanation-check.ts).
 */
import type { RiskDriver } from "./inference/explain.ts";
import { effectPoints, shownDrivers } from "./shown-drivers.ts";

export const OBESITY_BMI = 30;

/**
 * Said where weight management is suggested (an obese patient) while this model credits the
 * patient's BMI with lowering the estimate (a BMI driver shown as lowering it, by the drivers'
 * rule, shown-drivers.ts, whether or not the card's short list reaches it). Excess weight raises
 * the risk of knee OA (docs/epidemiology.md: obesity, odds ratio 2.6 in two meta-analyses), so the suggestion then rests on that evidence,
 * not on the model, and the card must not let the two read as one. The shipped model does this
 * for some obese patients (MODEL_CARD.md, "The what-if's BMI effect"). Null otherwise.
 */
export function obeseBmiLowersEstimate(drivers: readonly RiskDriver[], bmi: number | null): string | null {
  if (bmi === null || bmi < OBESITY_BMI) return null;
  const lowering = shownDrivers(drivers, { bmiMissing: false }).find((d) => d.group.kind === "bmi" && d.effect < 0);
  if (lowering === undefined) return null;
  return (
    `This model credits the BMI of ${bmi.toFixed(1)} with lowering this estimate (by ${effectPoints(lowering.effect)} percentage points), ` +
    "against clinical evidence, where excess weight raises the risk of knee OA: weight management is suggested on that evidence, not on this model."
  );
}
