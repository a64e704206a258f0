/**
 * The feedback tables and the SQL both databases share (plain SQL that SQLite and PostgreSQL
 * read alike), and the mapping between rows and records. Each store adds only its own
 * statements with its own placeholders.
 */
import { decisionOf, type FeedbackRecord, type IssuedCard, parseDecision, type ReasonCode } from "./feedback-store.ts";

/**
 * Version 1 of the feedback schema. card_feedback has one row per card: `decision` is
 * decisionOf(record) (outcome, sorted accepted suggestion ids, reason code) and
 * `accepted_suggestions` the number of those ids; when a later `accepted` adds suggestions,
 * both are updated to the union and the rest of the row is kept (feedback-store.ts).
 */
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

/** Columns of a card_feedback row, in both databases. */
export interface FeedbackRow {
  card_uuid: string;
  service_id: string;
  issuer: string;
  outcome: FeedbackRecord["outcome"];
  accepted_suggestions: number;
  reason_system: string | null;
  reason_code: string | null;
  decision: string;
  outcome_timestamp: string;
  received_at: string;
}

export function feedbackRecordFromRow(row: FeedbackRow): FeedbackRecord {
  const { outcome, acceptedSuggestionIds, reason } = parseDecision(row.decision);
  return {
    cardUuid: row.card_uuid,
    serviceId: row.service_id,
    issuer: row.issuer,
    outcome,
    acceptedSuggestionIds,
    reason,
    outcomeTimestamp: row.outcome_timestamp,
    receivedAt: row.received_at,
  };
}
