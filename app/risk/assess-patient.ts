/**
 * The risk now, for the index date of the launch: the shared assessRisk (the card's path, with
 * its explanation), and for an eligible patient the age/sex baseline model's risk for the same
 * features, i.e. the risk of people of the same age and sex whatever their record holds; and, as
 * on the card, a recent AI-graded radiograph that already shows knee OA, osteoarthritis on record
 * without a stated joint, and a knee replacement on record.
 */
import { assessRisk, type RiskAssessmentResult } from "../../shared/assess-risk.ts";
import { recentKneeOaGrade, type RecentKneeOaGrade } from "../../shared/imaging/recent-kl.ts";
import { kneeReplaced, type KneeReplaced } from "../../shared/knee-replaced.ts";
import { oaSiteNotStated, type OaSiteNotStated } from "../../shared/oa-site-not-stated.ts";
import type { RiskInput } from "../data/load-record.ts";
import type { BrowserModels } from "./browser-models.ts";

export interface PatientAssessment {
  result: RiskAssessmentResult;
  /** Present when the patient is eligible. */
  baselineProbability?: number;
  /** A recent AI knee KL grade of 2 or more in the card's context (the kneeKlGrades query), as
   * the card path computes it; optional so that views can be given an assessment without it. */
  recentKneeOaGrade?: RecentKneeOaGrade | null;
  /** An osteoarthritis Condition without a stated joint before the index date, as the card path finds it. */
  oaSiteNotStated?: OaSiteNotStated | null;
  /** A knee replacement before the index date, as the card path finds it. */
  kneeReplaced?: KneeReplaced | null;
}

export async function assessPatient(
  models: BrowserModels,
  { resources, cardContext }: Pick<RiskInput, "resources" | "cardContext">,
  indexDate: string,
): Promise<PatientAssessment> {
  const caveats = {
    recentKneeOaGrade: recentKneeOaGrade(cardContext, indexDate),
    oaSiteNotStated: oaSiteNotStated(resources, indexDate),
    // As the card: the Procedures come with the card's context, an artificial knee joint with the diagnoses.
    kneeReplaced: kneeReplaced([...resources, ...cardContext], indexDate),
  };
  const result = await assessRisk(models.risk, resources, indexDate);
  if (result.probability === undefined) return { result, ...caveats };
  const baseline = await models.baseline.predict([result.features]);
  return { result, baselineProbability: baseline[0] as number, ...caveats };
}
