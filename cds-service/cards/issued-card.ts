/**
 * What the hook records about a card it sends (feedback/feedback-store.ts IssuedCard), read
 * from the card itself so the registry holds exactly the suggestions and override reasons the
 * EHR received, whatever the card builder put on it.
 */
import type { IssuedCard } from "../feedback/feedback-store.ts";
import type { CdsCard } from "./card-types.ts";

export interface IssuedTo {
  serviceId: string;
  hookInstance: string;
  tier: string;
  issuer: string;
  issuedAt: string;
}

export function issuedCardOf(card: CdsCard, to: IssuedTo): IssuedCard {
  if (!card.uuid) throw new Error("a card that can receive feedback needs a uuid");
  return {
    ...to,
    cardUuid: card.uuid,
    suggestionIds: (card.suggestions ?? []).flatMap((s) => (s.uuid ? [s.uuid] : [])),
    overrideReasons: (card.overrideReasons ?? []).flatMap((r) => (r.system && r.code ? [{ system: r.system, code: r.code }] : [])),
  };
}
