/**
 * What the CDS card and the SMART app say beside the risk from the record itself, not the model:
 * a recent AI-graded radiograph that already shows knee OA (shared/imaging/recent-kl.ts),
 * osteoarthritis on record without a stated joint (oa-site-not-stated.ts) and a knee replacement
 * on record (knee-replaced.ts), and nothing the model reads dated in the year before the index
 * date (record-currency.ts). One function, so that both, and the population job for its flags,
 * read each from the same part of what they gathered: the model input (`resources`) and the
 * card's context (`cardContext`: the imaging results and the Procedures, never model input).
 */
import type { Resource } from "fhir/r4";
import { recentKneeOaGrade, type RecentKneeOaGrade } from "./imaging/recent-kl.ts";
import { kneeReplaced, type KneeReplaced } from "./knee-replaced.ts";
import { oaSiteNotStated, type OaSiteNotStated } from "./oa-site-not-stated.ts";
import { recordNotCurrent, type NotCurrent } from "./record-currency.ts";

/** The caveats that may say the patient has knee OA already. */
export interface KneeOaCaveats {
  recentKneeOaGrade: RecentKneeOaGrade | null;
  oaSiteNotStated: OaSiteNotStated | null;
  kneeReplaced: KneeReplaced | null;
}

export interface RecordCaveats extends KneeOaCaveats {
  recordNotCurrent: NotCurrent | null;
}

export function recordCaveats(resources: readonly Resource[], cardContext: readonly Resource[], indexDate: string): RecordCaveats {
  return {
    ...kneeOaCaveats(resources, cardContext, indexDate),
    // The model input only: the imaging results and Procedures the model never reads do not make
    // its picture of the last year current.
    recordNotCurrent: recordNotCurrent(resources, indexDate),
  };
}

/** The knee OA caveats alone: the population job's flags, which judge the record's currency from
 * the days it keeps for its summary (population/job/score-batch.ts), by the same rule. */
export function kneeOaCaveats(resources: readonly Resource[], cardContext: readonly Resource[], indexDate: string): KneeOaCaveats {
  return {
    recentKneeOaGrade: recentKneeOaGrade(cardContext, indexDate),
    oaSiteNotStated: oaSiteNotStated(resources, indexDate),
    // The Procedures come with the card's context, an artificial knee joint on the problem list
    // with the diagnoses.
    kneeReplaced: kneeReplaced([...resources, ...cardContext], indexDate),
  };
}
