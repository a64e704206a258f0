/**
 * What-if BMI: the risk had the patient's latest BMI been another value. The chosen BMI is added
 * to the record as a measurement on the day before the index date and the record re-assessed
 * with assessRisk, so the what-if follows the card's rules exactly (the latest BMI wins,
 * plausibility ranges). BMI is the only input of the model that a patient can change: age and
 * sex are not, and past diagnoses and prescriptions are history. The SMART app answers its
 * what-if with it, and models/evaluation measures how often its answer runs against the evidence.
 */
import type { Observation, Resource } from "fhir/r4";
import { assessRisk } from "./assess-risk.ts";
import { PLAUSIBLE_BMI } from "./features/body-mass.ts";
import { dayToIsoDate, parseFhirDay } from "./fhir-dates.ts";
import type { RiskModel } from "./inference/index.ts";
import { OBSERVATION_LOINC, SYSTEM } from "./valuesets.ts";

/**
 * Whether the model moves the risk against clinical evidence, which has excess weight raise the
 * risk of knee OA: a lower BMI giving a higher risk, or a higher BMI a lower one, by at least
 * 0.01 percentage points. The card may suggest weight management for the same patient: the
 * what-if must then say that the model, not the evidence, is speaking.
 */
export function runsAgainstEvidence(bmiNow: number | null, result: WhatIfResult, probabilityNow: number): boolean {
  if (bmiNow === null || result.probability === undefined || result.recordBmiThatDay !== undefined) return false;
  const change = result.probability - probabilityNow;
  return Math.abs(change) >= 0.0001 && Math.sign(result.bmi - bmiNow) * Math.sign(change) < 0;
}

export interface WhatIfResult {
  bmi: number;
  /** undefined when the model does not apply to the patient. */
  probability?: number;
  /** The BMI the model actually used. */
  usedBmi: number | null;
  /**
   * Set only when the record itself states a BMI on the day the what-if is dated and the model
   * used that one (of two BMIs stated on one day the builder keeps the higher): then the result
   * is not a risk "with" the chosen BMI.
   */
  recordBmiThatDay?: { bmi: number; date: string };
}

function bmiObservation(patientId: string, date: string, bmi: number): Observation {
  return {
    resourceType: "Observation",
    id: "patella-what-if-bmi",
    status: "final",
    code: { coding: [{ system: SYSTEM.loinc, code: OBSERVATION_LOINC.bmi }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: date,
    valueQuantity: { value: bmi, unit: "kg/m2", system: "http://unitsofmeasure.org", code: "kg/m2" },
  };
}

/** The risk with `bmi` as the latest BMI. Throws RangeError for a BMI the feature builder would
 * throw out as implausible (PLAUSIBLE_BMI): it would use the record's own BMI instead. */
export async function riskWithBmi(
  model: RiskModel,
  resources: readonly Resource[],
  patientId: string,
  indexDate: string,
  bmi: number,
): Promise<WhatIfResult> {
  if (!(bmi >= PLAUSIBLE_BMI.min && bmi <= PLAUSIBLE_BMI.max)) throw new RangeError(`riskWithBmi: BMI ${bmi} is not plausible`);
  const dayBefore = dayToIsoDate((parseFhirDay(indexDate) as number) - 1);
  const result = await assessRisk(model, [...resources, bmiObservation(patientId, dayBefore, bmi)], indexDate, { explain: false });
  const { bmi: usedBmi, bmiDate } = result.features.demographics;
  const answer = { bmi, usedBmi, ...(result.probability !== undefined && { probability: result.probability }) };
  if (usedBmi === bmi) return answer;
  if (usedBmi !== null && bmiDate === dayBefore) return { ...answer, recordBmiThatDay: { bmi: usedBmi, date: dayBefore } };
  // A plausible BMI dated the day before the index date is the latest; anything else is a bug,
  // and showing its risk as the what-if would be inventing a result.
  throw new Error(`riskWithBmi: the model used BMI ${usedBmi} (${bmiDate ?? "no date"}) instead of ${bmi}`);
}
