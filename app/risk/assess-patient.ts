/**
 * The risk now, for the index date of the launch: the shared assessRisk (the card's path, with
 * its explanation), and for an eligible patient the age/sex baseline model's risk for the same
 * features, i.e. the risk of people of the same age and sex whatever their record holds.
 */
import type { Resource } from "fhir/r4";
import { assessRisk, type RiskAssessmentResult } from "../../shared/assess-risk.ts";
import type { BrowserModels } from "./browser-models.ts";

export interface PatientAssessment {
  result: RiskAssessmentResult;
  /** Present when the patient is eligible. */
  baselineProbability?: number;
}

export async function assessPatient(models: BrowserModels, resources: readonly Resource[], indexDate: string): Promise<PatientAssessment> {
  const result = await assessRisk(models.risk, resources, indexDate);
  if (result.probability === undefined) return { result };
  const baseline = await models.baseline.predict([result.features]);
  return { result, baselineProbability: baseline[0] as number };
}
