/**
 * The sentence said beside a risk for an optional part of the record the EHR could not supply
 * (failed, not granted, or sent only in part): one rule for the CDS card's data caveats and the
 * SMART app's risk summary, so that the estimate the clinician opens from the card carries the
 * same caveat.
 */
import { KL_GRADES_UNREAD } from "./imaging/kl-caveat.ts";
import { PROCEDURES_UNREAD } from "./knee-replaced.ts";
import type { PrefetchKeySpec } from "./risk-record-queries.ts";

/** A part of the record that could not be had: its query, and whether the EHR sent a first page
 * the rest of which could not be fetched. */
export interface UnreadPart {
  /** Its key, label and use as in shared/risk-record-queries.ts (the app's queries add their own uses). */
  query: Pick<PrefetchKeySpec, "key" | "label"> & { use: string };
  firstPageOnly?: boolean;
}

/** What the card's context (never model input) leaves unsaid when it cannot be read: the caveat
 * it is read for. */
const CONTEXT_UNREAD: Readonly<Record<string, string>> = { kneeKlGrades: KL_GRADES_UNREAD, procedures: PROCEDURES_UNREAD };

export function unavailableDataCaveat({ query, firstPageOnly = false }: UnreadPart): string {
  if (firstPageOnly) {
    const unsaid = query.use === "card-context" ? "noted here" : "in the estimate";
    return `The EHR sent only the first page of the ${query.label} and the rest could not be fetched: what the later pages hold is not ${unsaid}.`;
  }
  if (query.use === "card-context") return CONTEXT_UNREAD[query.key] ?? `The ${query.label} could not be read: what they hold is not noted here.`;
  return `The EHR could not supply ${query.label}; the estimate is made without them.`;
}

/** Whether any part not read in full is the model's input rather than the card's context: what
 * the record is said to hold, or to lack, is then said of the parts that could be read
 * (shared/record-currency.ts). */
export function modelInputPartlyRead(parts: readonly { query: { use: string } }[]): boolean {
  return parts.some((part) => part.query.use === "model-input");
}
