/**
 * What the CDS card and the SMART app say beside the risk from the record itself, not the model:
 * a recent AI-graded radiograph that already shows knee OA (shared/imaging/recent-kl.ts),
 * osteoarthritis on record without a stated joint (oa-site-not-stated.ts) and a knee replacement
 * on record (knee-replaced.ts). One function, so that both read each from the same part of what
 * they gathered: the model input (`resources`) and the card's context (`cardContext`: the imaging
 * results and the Procedures, never model input).
 */
import type { Resource } from "fhir/r4";
import { recentKneeOaGrade, type RecentKneeOaGrade } from "./imaging/recent-kl.ts";
import { kneeReplaced, type KneeReplaced } from "./knee-replaced.ts";
import { oaSiteNotStated, type OaSiteNotStated } from "./oa-site-not-stated.ts";

export interface RecordCaveats {
  recentKneeOaGrade: RecentKneeOaGrade | null;
  oaSiteNotStated: OaSiteNotStated | null;
  kneeReplaced: KneeReplaced | null;
}

export function recordCaveats(resources: readonly Resource[], cardContext: readonly Resource[], indexDate: string): RecordCaveats {
  return {
    recentKneeOaGrade: recentKneeOaGrade(cardContext, indexDate),
    oaSiteNotStated: oaSiteNotStated(resources, indexDate),
    // The Procedures come with the card's context, an artificial knee joint on the problem list
    // with the diagnoses.
    kneeReplaced: kneeReplaced([...resources, ...cardContext], indexDate),
  };
}
