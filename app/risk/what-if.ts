/**
 * What-if: the risk had the patient's latest BMI been another value. The chosen BMI is added to
 * the record as a measurement on the day before the index date and the record re-assessed with
 * assessRisk, so the what-if follows the card's rules exactly (the latest BMI wins, plausibility
 * ranges). BMI is the only input of the model that a patient can change: age and sex are not,
 * and past diagnoses and prescriptions are history.
 */
import type { Observation, Resource } from "fhir/r4";
import { assessRisk } from "../../shared/assess-risk.ts";
import { dayToIsoDate, parseFhirDay } from "../../shared/fhir-dates.ts";
import type { RiskModel } from "../../shared/inference/index.ts";
import { OBSERVATION_LOINC } from "../../shared/valuesets.ts";

/** The slider's range, inside the feature builder's plausible BMI range. */
export const WHAT_IF_BMI = { min: 15, max: 50, step: 0.5 } as const;

export interface WhatIfResult {
  bmi: number;
  /** undefined when the model does not apply to the patient. */
  probability?: number;
  /** The BMI the model actually used; differs from `bmi` only if the record holds a stated BMI on the same day. */
  usedBmi: number | null;
}

function bmiObservation(patientId: string, indexDate: string, bmi: number): Observation {
  const dayBefore = dayToIsoDate((parseFhirDay(indexDate) as number) - 1);
  return {
    resourceType: "Observation",
    id: "patella-what-if-bmi",
    status: "final",
    code: { coding: [{ system: "http://loinc.org", code: OBSERVATION_LOINC.bmi }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: dayBefore,
    valueQuantity: { value: bmi, unit: "kg/m2", system: "http://unitsofmeasure.org", code: "kg/m2" },
  };
}

export async function riskWithBmi(
  model: RiskModel,
  resources: readonly Resource[],
  patientId: string,
  indexDate: string,
  bmi: number,
): Promise<WhatIfResult> {
  const result = await assessRisk(model, [...resources, bmiObservation(patientId, indexDate, bmi)], indexDate, { explain: false });
  return { bmi, usedBmi: result.features.demographics.bmi, ...(result.probability !== undefined && { probability: result.probability }) };
}
