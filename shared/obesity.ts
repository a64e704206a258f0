/**
 * Obesity in adults is a BMI of 30 kg/m2 or more (WHO Technical Report Series 894, 2000). The
 * card suggests weight management from it, and the evaluation of the what-if checks the same
 * patients (models/evaluation/explanation-check.ts).
 */
export const OBESITY_BMI = 30;
