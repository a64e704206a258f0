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

/** Tables shared by both databases (plain SQL that SQLite and PostgreSQL read alike). */
export const FEEDBACK_TABLES_SQL = `
CREATE TABLE issued_card (
  card_uuid TEXT PRIMARY KEY,
  service_id TEXT NOT NULL,
  hook_instance TEXT NOT NULL,
  tier TEXT NOT NULL,
  issuer TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  suggestion_ids TEXT NOT NULL,
  override_reasons TEXT NOT NULL
);
CREATE TABLE card_feedback (
  card_uuid TEXT PRIMARY KEY REFERENCES issued_card (card_uuid),
  service_id TEXT NOT NULL,
  issuer TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
  accepted_suggestions INTEGER NOT NULL,
  reason_system TEXT,
  reason_code TEXT,
  decision TEXT NOT NULL,
  outcome_timestamp TEXT NOT NULL,
  received_at TEXT NOT NULL
);
`;

export const SUMMARY_BY_TIER_SQL = `
SELECT c.tier AS tier, COUNT(*) AS cards,
       SUM(CASE WHEN f.outcome = 'accepted' THEN 1 ELSE 0 END) AS accepted,
       SUM(CASE WHEN f.outcome = 'overridden' THEN 1 ELSE 0 END) AS overridden
  FROM issued_card c LEFT JOIN card_feedback f ON f.card_uuid = c.card_uuid
 GROUP BY c.tier`;

export const SUMMARY_REASONS_SQL = `
SELECT reason_system AS system, reason_code AS code, COUNT(*) AS count
  FROM card_feedback WHERE outcome = 'overridden'
 GROUP BY reason_system, reason_code`;

/** Columns of an issued_card row, in both databases. */
export interface IssuedCardRow {
  card_uuid: string;
  service_id: string;
  hook_instance: string;
  tier: string;
  issuer: string;
  issued_at: string;
  suggestion_ids: string;
  override_reasons: string;
}

export function issuedCardRow(card: IssuedCard): IssuedCardRow {
  return {
    card_uuid: card.cardUuid,
    service_id: card.serviceId,
    hook_instance: card.hookInstance,
    tier: card.tier,
    issuer: card.issuer,
    issued_at: card.issuedAt,
    suggestion_ids: JSON.stringify(card.suggestionIds),
    override_reasons: JSON.stringify(card.overrideReasons),
  };
}

export function issuedCardFromRow(row: IssuedCardRow): IssuedCard {
  return {
    cardUuid: row.card_uuid,
    serviceId: row.service_id,
    hookInstance: row.hook_instance,
    tier: row.tier,
    issuer: row.issuer,
    issuedAt: row.issued_at,
    suggestionIds: JSON.parse(row.suggestion_ids) as string[],
    overrideReasons: JSON.parse(row.override_reasons) as ReasonCode[],
  };
}

/** Values of a card_feedback row in column order (see FEEDBACK_TABLES_SQL). */
export function feedbackRowValues(record: FeedbackRecord): unknown[] {
  return [
    record.cardUuid,
    record.serviceId,
    record.issuer,
    record.outcome,
    record.acceptedSuggestionIds.length,
    record.reason?.system ?? null,
    record.reason?.code ?? null,
    decisionOf(record),
    record.outcomeTimestamp,
    record.receivedAt,
  ];
}
