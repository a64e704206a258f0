/**
 * What-if: the risk had the patient's latest BMI been another value. The chosen BMI is added to
 * the record as a measurement on the day before the index date and the record re-assessed with
 * assessRisk, so the what-if follows the card's rules exactly (the latest BMI wins, plausibility
 * ranges). BMI is the only input of the model that a patient can change: age and sex are not,
 * and past diagnoses and prescriptions are history.
 *
 * A typed value is read here (readWhatIfBmi), not in the component: an empty box, a value that is
 * not a number, one the feature builder would throw out as implausible (it would then silently use
 * the record's own BMI and the "what-if" would be the risk now), or one outside the control's
 * range is refused and no risk is computed for it.
 */
import type { Observation, Resource } from "fhir/r4";
import { assessRisk } from "../../shared/assess-risk.ts";
import { PLAUSIBLE_BMI } from "../../shared/features/body-mass.ts";
import { dayToIsoDate, parseFhirDay } from "../../shared/fhir-dates.ts";
import type { RiskModel } from "../../shared/inference/index.ts";
import { OBSERVATION_LOINC } from "../../shared/valuesets.ts";

/** The control's range, inside the feature builder's plausible BMI range (PLAUSIBLE_BMI); the step
 * is one decimal, as the app prints a BMI, so the control can hold the recorded BMI exactly. */
export const WHAT_IF_BMI = { min: 15, max: 50, step: 0.1 } as const;

/** Where the control starts when the record holds no BMI. */
const START_WITHOUT_BMI = 25;

/** A BMI as the app prints it. */
export function formatBmi(bmi: number): string {
  return bmi.toFixed(1);
}

/** The control's first value: the latest recorded BMI as the app prints it, so that the first
 * what-if is the BMI the risk now was computed with (held inside the control's range). */
export function whatIfStart(bmi: number | null): number {
  if (bmi === null) return START_WITHOUT_BMI;
  return Math.min(WHAT_IF_BMI.max, Math.max(WHAT_IF_BMI.min, Number(formatBmi(bmi))));
}

export type WhatIfRefusal = "empty" | "not-a-number" | "implausible" | "outside-control";

export type WhatIfEntry = { bmi: number } | { refused: WhatIfRefusal; message: string };

/** A decimal number as an <input type="number"> accepts it (no hex, no "Infinity", no spaces inside). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function refusalOf(bmi: number): WhatIfRefusal | undefined {
  if (!Number.isFinite(bmi)) return "not-a-number";
  if (bmi < PLAUSIBLE_BMI.min || bmi > PLAUSIBLE_BMI.max) return "implausible";
  if (bmi < WHAT_IF_BMI.min || bmi > WHAT_IF_BMI.max) return "outside-control";
  return undefined;
}

function refusalMessage(refusal: WhatIfRefusal, typed: string): string {
  const ask = `Enter a BMI from ${WHAT_IF_BMI.min} to ${WHAT_IF_BMI.max} kg/m².`;
  switch (refusal) {
    case "empty":
      return ask;
    case "not-a-number":
      return `"${typed}" is not a number. ${ask}`;
    case "implausible":
      return `A BMI of ${typed} is outside the plausible range (${PLAUSIBLE_BMI.min} to ${PLAUSIBLE_BMI.max} kg/m²): the model ignores such a value as a typing error. ${ask}`;
    case "outside-control":
      return `A BMI of ${typed} is outside this what-if's range. ${ask}`;
  }
}

/** The BMI in the control's text, or why it is refused. (Number("") is 0, so the text is read here.) */
export function readWhatIfBmi(text: string): WhatIfEntry {
  const typed = text.trim();
  if (typed === "") return { refused: "empty", message: refusalMessage("empty", typed) };
  const bmi = DECIMAL.test(typed) ? Number(typed) : Number.NaN;
  const refused = refusalOf(bmi);
  return refused === undefined ? { bmi } : { refused, message: refusalMessage(refused, typed) };
}

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
    code: { coding: [{ system: "http://loinc.org", code: OBSERVATION_LOINC.bmi }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: date,
    valueQuantity: { value: bmi, unit: "kg/m2", system: "http://unitsofmeasure.org", code: "kg/m2" },
  };
}

/** The risk with `bmi` as the latest BMI. Throws RangeError for a BMI readWhatIfBmi refuses. */
export async function riskWithBmi(
  model: RiskModel,
  resources: readonly Resource[],
  patientId: string,
  indexDate: string,
  bmi: number,
): Promise<WhatIfResult> {
  const refused = refusalOf(bmi);
  if (refused !== undefined) throw new RangeError(`riskWithBmi: BMI ${bmi} refused (${refused})`);
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
