/**
 * Which of a patient's resources are the model's input (pure: the one rule the CDS service, the
 * SMART app and the population readers apply, after the patient-compartment rule, before
 * features are built).
 *
 * The card and the app ask the EHR for body-measure Observations only (the `bodyMeasures` query
 * of risk-record-queries.ts: BMI, weight, height), while a Bulk Data export holds every
 * Observation, and a FHIR server that ignores an unsupported `code` parameter (FHIR's lenient
 * search handling) answers with every Observation too. Any dated resource lengthens the history
 * the model sees, so a lab result recorded before the first visit would give the same patient a
 * different risk in the population list than on the card. Observations other than body measures
 * are therefore set aside here, wherever they came from, and counted.
 */
import type { Resource } from "fhir/r4";
import { isBodyMeasure } from "./features/body-mass.ts";

/** Why a resource is not model input; a fixed string (no data), fit for logs and reports. */
export const NOT_MODEL_INPUT_REASON = "Observation other than BMI, weight or height";

export interface ModelInput<T extends Resource = Resource> {
  kept: T[];
  /** Observations set aside as not model input. */
  notModelInput: number;
}

/** Whether the model reads this resource: every resource except Observations that are not body measures. */
export function isModelInput(resource: Resource): boolean {
  return resource.resourceType !== "Observation" || isBodyMeasure(resource as unknown as Readonly<Record<string, unknown>>);
}

/** Keeps the model's input and counts what it sets aside. */
export function keepModelInput<T extends Resource>(resources: readonly T[]): ModelInput<T> {
  const result: ModelInput<T> = { kept: [], notModelInput: 0 };
  for (const resource of resources) {
    if (isModelInput(resource)) result.kept.push(resource);
    else result.notModelInput += 1;
  }
  return result;
}
