/**
 * What the service keeps about its cards and the clinicians' feedback on them, whatever the
 * database (sqlite-feedback-store.ts by default, postgres-feedback-store.ts with
 * `databaseUrl`). A card is recorded when issued, with the suggestion ids and override reasons
 * it offered, so feedback can be checked against it (check-feedback.ts). Stored feedback holds
 * codes only: no patient identifiers and no free text (a comment may name the patient).
 */

/** A coded override reason, as offered on a card and as stored. */
export interface ReasonCode {
  system: string;
  code: string;
}

/** One card as issued: what feedback about it may refer to. */
export interface IssuedCard {
  cardUuid: string;
  serviceId: string;
  hookInstance: string;
  tier: string;
  /** `iss` of the EHR the card was sent to: only that EHR may give feedback on it. */
  issuer: string;
  issuedAt: string;
  suggestionIds: string[];
  overrideReasons: ReasonCode[];
}

/** One checked feedback item, ready to store. */
export interface FeedbackRecord {
  cardUuid: string;
  serviceId: string;
  issuer: string;
  outcome: "accepted" | "overridden";
  /** Sorted, distinct, each offered on the card. */
  acceptedSuggestionIds: string[];
  reason: ReasonCode | null;
  outcomeTimestamp: string;
  receivedAt: string;
}

/** The small interface the hook needs: record every card it sends, before sending it. */
export interface IssuedCardRegistry {
  recordIssued(card: IssuedCard): Promise<void>;
}

/** Feedback for a card that already has feedback with a different outcome, suggestions or reason. */
export class FeedbackConflict extends Error {
  constructor(readonly cardUuids: readonly string[]) {
    super(`feedback already recorded with a different decision for ${cardUuids.length} card(s)`);
    this.name = "FeedbackConflict";
  }
}

/** Per-tier and per-reason counts as the database returns them (drivers may give strings). */
export interface SummaryRows {
  byTier: { tier: string; cards: number | string; accepted: number | string; overridden: number | string }[];
  reasons: { system: string | null; code: string | null; count: number | string }[];
}

export interface FeedbackStore extends IssuedCardRegistry {
  /** The cards among `cardUuids` that were issued to `issuer` (others are absent from the map). */
  issuedCards(issuer: string, cardUuids: readonly string[]): Promise<Map<string, IssuedCard>>;
  /**
   * Stores the records in one transaction. A card has at most one decision: a record equal to the
   * stored one is a repeat (counted, not stored again); a different one throws FeedbackConflict
   * and nothing of the call is stored.
   */
  recordFeedback(records: readonly FeedbackRecord[]): Promise<{ stored: number; repeated: number }>;
  summaryRows(): Promise<SummaryRows>;
}

/** The decision a record states, compared to tell a repeat from a conflict. */
export function decisionOf(record: FeedbackRecord): string {
  return JSON.stringify([record.outcome, record.acceptedSuggestionIds, record.reason ? [record.reason.system, record.reason.code] : null]);
}
