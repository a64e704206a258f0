/**
 * Which feedback the service accepts: only about cards it issued to the same EHR, naming only
 * suggestions and override reasons that card offered, in the shape CDS Hooks 2.0 gives each
 * outcome (`accepted` with the accepted suggestions, `overridden` without). Anything else is a
 * 4xx OperationOutcome naming the item, so an EHR's mistake is seen instead of stored. The
 * clinician's free-text comment (`overrideReason.userComment`) and the reason's display are
 * dropped here: only codes are kept.
 */
import { HttpError } from "../http/operation-outcome.ts";
import type { FeedbackItem } from "../schemas/feedback-request.ts";
import type { FeedbackRecord, IssuedCard } from "./feedback-store.ts";

export interface FeedbackCall {
  serviceId: string;
  /** `iss` of the calling EHR. */
  issuer: string;
  receivedAt: string;
}

function checkItem(item: FeedbackItem, where: string, card: IssuedCard | undefined, call: FeedbackCall): FeedbackRecord {
  // One answer for "never issued" and "issued to another EHR": an EHR learns nothing about others' cards.
  if (!card || card.serviceId !== call.serviceId) {
    throw new HttpError(404, "not-found", `${where}.card: no card with this uuid was issued to this EHR by this service`);
  }
  const accepted = item.acceptedSuggestions?.map((s) => s.id) ?? [];
  if (new Set(accepted).size !== accepted.length) {
    throw new HttpError(400, "invalid", `${where}.acceptedSuggestions: a suggestion is listed twice`);
  }
  for (const [i, id] of accepted.entries()) {
    if (!card.suggestionIds.includes(id)) {
      throw new HttpError(400, "invalid", `${where}.acceptedSuggestions[${i}].id: not a suggestion of this card`);
    }
  }
  const reason = item.overrideReason?.reason;
  if (item.outcome === "accepted") {
    if (accepted.length === 0) throw new HttpError(400, "invalid", `${where}.acceptedSuggestions: required when the outcome is accepted`);
    if (item.overrideReason) throw new HttpError(400, "invalid", `${where}.overrideReason: only for the outcome overridden`);
  } else {
    if (item.acceptedSuggestions) throw new HttpError(400, "invalid", `${where}.acceptedSuggestions: only for the outcome accepted`);
    if (reason && !card.overrideReasons.some((o) => o.system === reason.system && o.code === reason.code)) {
      throw new HttpError(400, "invalid", `${where}.overrideReason.reason: not an override reason offered on this card`);
    }
  }
  return {
    cardUuid: card.cardUuid,
    serviceId: call.serviceId,
    issuer: call.issuer,
    outcome: item.outcome,
    acceptedSuggestionIds: [...accepted].sort(),
    reason: reason?.system ? { system: reason.system, code: reason.code } : null,
    outcomeTimestamp: item.outcomeTimestamp,
    receivedAt: call.receivedAt,
  };
}

/** Checks every item against the cards issued to the caller; throws HttpError on the first problem. */
export function checkFeedback(items: readonly FeedbackItem[], issued: ReadonlyMap<string, IssuedCard>, call: FeedbackCall): FeedbackRecord[] {
  return items.map((item, i) => checkItem(item, `feedback[${i}]`, issued.get(item.card), call));
}
