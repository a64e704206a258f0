/**
 * The risk now, for the index date of the launch: the shared assessRisk (the card's path, with
 * its explanation), and for an eligible patient the age/sex baseline model's risk for the same
 * features, i.e. the risk of people of the same age and sex whatever their record holds; and, as
 * on the card, a recent AI-graded radiograph that already shows knee OA, osteoarthritis on record
 * without a stated joint, a knee replacement on record, and nothing the model reads in the last year.
 */
import { assessRisk, type RiskAssessmentResult } from "../../shared/assess-risk.ts";
import { recordCaveats, type RecordCaveats } from "../../shared/record-caveats.ts";
import type { RiskInput } from "../data/load-record.ts";
import type { BrowserModels } from "./browser-models.ts";

/** The risk and what is said beside it, as the card path finds it (shared/record-caveats.ts: a
 * recent AI knee KL grade of 2 or more, osteoarthritis without a stated joint, a knee
 * replacement, a record not current); the caveats are optional so that views can be given an assessment without them. */
export interface PatientAssessment extends Partial<RecordCaveats> {
  result: RiskAssessmentResult;
  /** Present when the patient is eligible. */
  baselineProbability?: number;
}

export async function assessPatient(
  models: BrowserModels,
  { resources, cardContext }: Pick<RiskInput, "resources" | "cardContext">,
  indexDate: string,
): Promise<PatientAssessment> {
  const caveats = recordCaveats(resources, cardContext, indexDate);
  const result = await assessRisk(models.risk, resources, indexDate);
  if (result.probability === undefined) return { result, ...caveats };
  const baseline = await models.baseline.predict([result.features]);
  return { result, baselineProbability: baseline[0] as number, ...caveats };
}
