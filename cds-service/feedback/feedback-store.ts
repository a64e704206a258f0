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

/**
 * Feedback that contradicts what is recorded for a card (stored before, or given earlier in the
 * same call): accepted against overridden, or overridden with another reason.
 */
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
   * Stores the records in one transaction, one row per card, each record merged into the card's
   * row as mergeDecision says:
   * - `accepted` after `accepted`: the card's accepted suggestions become the union of both (a
   *   card with `selectionBehavior: "any"` may have one suggestion accepted, another later). If
   *   the record adds none, it is a repeat; otherwise the row's suggestions are widened, and its
   *   `outcomeTimestamp` and `receivedAt` stay those of the first feedback on the card;
   * - `overridden` after `overridden` with the same reason, or both without one: a repeat;
   * - `accepted` against `overridden` (either order), or two different override reasons: a
   *   conflict. Any conflict throws FeedbackConflict and nothing of the call is stored.
   * Records are merged in order, so two records for one card in the same call merge the same
   * way as two calls. Concurrent calls on one card are serialised (SQLite: an IMMEDIATE
   * transaction; PostgreSQL: the row locked before it is read), so no union loses a suggestion.
   * `stored` counts records that inserted or widened a row; `repeated` those that changed nothing.
   */
  recordFeedback(records: readonly FeedbackRecord[]): Promise<{ stored: number; repeated: number }>;
  /** What is stored for one card, or undefined when it has no feedback. */
  feedbackFor(cardUuid: string): Promise<FeedbackRecord | undefined>;
  summaryRows(): Promise<SummaryRows>;
}

/** The decision part of a record: what the `decision` column holds. */
export type Decision = Pick<FeedbackRecord, "outcome" | "acceptedSuggestionIds" | "reason">;

/** The `decision` column's text: compared to tell a repeat from a conflict, and read back by parseDecision. */
export function decisionOf(record: Decision): string {
  return JSON.stringify([record.outcome, record.acceptedSuggestionIds, record.reason ? [record.reason.system, record.reason.code] : null]);
}

/** A `decision` column read back (the inverse of decisionOf). */
export function parseDecision(decision: string): Decision {
  const [outcome, acceptedSuggestionIds, reason] = JSON.parse(decision) as [Decision["outcome"], string[], [string, string] | null];
  return { outcome, acceptedSuggestionIds, reason: reason ? { system: reason[0], code: reason[1] } : null };
}

/** What a new record does to a card's stored decision (see FeedbackStore.recordFeedback). */
export type Merge = { kind: "repeat" } | { kind: "conflict" } | { kind: "widen"; decision: Decision };

export function mergeDecision(stored: Decision, record: Decision): Merge {
  if (stored.outcome !== record.outcome) return { kind: "conflict" };
  if (record.outcome === "overridden") return decisionOf(stored) === decisionOf(record) ? { kind: "repeat" } : { kind: "conflict" };
  const union = [...new Set([...stored.acceptedSuggestionIds, ...record.acceptedSuggestionIds])].sort();
  if (union.length === stored.acceptedSuggestionIds.length) return { kind: "repeat" };
  return { kind: "widen", decision: { outcome: "accepted", acceptedSuggestionIds: union, reason: null } };
}
