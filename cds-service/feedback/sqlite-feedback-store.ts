/**
 * Feedback in an embedded SQLite file (`feedback.dbPath`), the default for a single host;
 * worker processes share the file (WAL, writers wait for each other).
 */
import { openSqliteDatabase, type WalCheckpoints } from "../storage/sqlite-database.ts";
import { decisionOf, FeedbackConflict, type FeedbackRecord, type FeedbackStore, type IssuedCard, type SummaryRows } from "./feedback-store.ts";
import { FEEDBACK_TABLES_SQL, feedbackRowValues, issuedCardFromRow, issuedCardRow, type IssuedCardRow, SUMMARY_BY_TIER_SQL, SUMMARY_REASONS_SQL } from "./feedback-tables.ts";

const MIGRATIONS = [
  {
    version: 1,
    // Files from before versioned schemas held unchecked feedback and free-text reason displays
    // (which could name a patient): they are dropped, not carried over.
    sql: `DROP TABLE IF EXISTS feedback; DROP TABLE IF EXISTS issued_card; ${FEEDBACK_TABLES_SQL}`,
  },
];

export interface SqliteFeedbackStore extends FeedbackStore {
  close(): void;
}

/** Opens (creating if needed) the database at `path`; ":memory:" for a throwaway store. */
export function openSqliteFeedbackStore(path: string, checkpoints: WalCheckpoints = "auto"): SqliteFeedbackStore {
  const db = openSqliteDatabase(path, "feedback", MIGRATIONS, checkpoints);
  const insertCard = db.prepare(
    `INSERT OR IGNORE INTO issued_card (card_uuid, service_id, hook_instance, tier, issuer, issued_at, suggestion_ids, override_reasons)
     VALUES (@card_uuid, @service_id, @hook_instance, @tier, @issuer, @issued_at, @suggestion_ids, @override_reasons)`,
  );
  const selectCard = db.prepare("SELECT * FROM issued_card WHERE card_uuid = ? AND issuer = ?");
  const insertFeedback = db.prepare(
    `INSERT OR IGNORE INTO card_feedback (card_uuid, service_id, issuer, outcome, accepted_suggestions, reason_system, reason_code,
       decision, outcome_timestamp, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const storedDecision = db.prepare("SELECT decision FROM card_feedback WHERE card_uuid = ?").pluck();
  const byTier = db.prepare(SUMMARY_BY_TIER_SQL);
  const reasons = db.prepare(SUMMARY_REASONS_SQL);

  const recordAll = db.transaction((records: readonly FeedbackRecord[]) => {
    let stored = 0;
    const conflicting: string[] = [];
    for (const record of records) {
      if (insertFeedback.run(...feedbackRowValues(record)).changes === 1) stored += 1;
      else if (storedDecision.get(record.cardUuid) !== decisionOf(record)) conflicting.push(record.cardUuid);
    }
    // Throwing rolls the whole call back.
    if (conflicting.length > 0) throw new FeedbackConflict(conflicting);
    return { stored, repeated: records.length - stored };
  });

  return {
    async recordIssued(card: IssuedCard) {
      insertCard.run(issuedCardRow(card));
    },
    async issuedCards(issuer, cardUuids) {
      const found = new Map<string, IssuedCard>();
      for (const uuid of cardUuids) {
        const row = selectCard.get(uuid, issuer) as IssuedCardRow | undefined;
        if (row) found.set(uuid, issuedCardFromRow(row));
      }
      return found;
    },
    recordFeedback: async (records) => recordAll(records),
    async summaryRows(): Promise<SummaryRows> {
      return { byTier: byTier.all() as SummaryRows["byTier"], reasons: reasons.all() as SummaryRows["reasons"] };
    },
    close: () => db.close(),
  };
}
