/**
 * Feedback in an embedded SQLite file (`feedback.dbPath`), the default for a single host;
 * worker processes share the file (WAL, writers wait for each other).
 */
import { openSqliteDatabase, type WalCheckpoints } from "../storage/sqlite-database.ts";
import { decisionOf, FeedbackConflict, type FeedbackRecord, type FeedbackStore, type IssuedCard, mergeDecision, parseDecision, type SummaryRows } from "./feedback-store.ts";
import {
  FEEDBACK_TABLES_SQL,
  feedbackRecordFromRow,
  type FeedbackRow,
  feedbackRowValues,
  issuedCardFromRow,
  issuedCardRow,
  type IssuedCardRow,
  SUMMARY_BY_TIER_SQL,
  SUMMARY_REASONS_SQL,
} from "./feedback-tables.ts";

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
  const widenFeedback = db.prepare("UPDATE card_feedback SET accepted_suggestions = ?, decision = ? WHERE card_uuid = ?");
  const selectFeedback = db.prepare("SELECT * FROM card_feedback WHERE card_uuid = ?");
  const byTier = db.prepare(SUMMARY_BY_TIER_SQL);
  const reasons = db.prepare(SUMMARY_REASONS_SQL);

  const recordAll = db.transaction((records: readonly FeedbackRecord[]) => {
    let stored = 0;
    const conflicting = new Set<string>();
    for (const record of records) {
      if (insertFeedback.run(...feedbackRowValues(record)).changes === 1) {
        stored += 1;
        continue;
      }
      // The card's row exists (stored before, or by an earlier record of this call): merge into it.
      const merge = mergeDecision(parseDecision(storedDecision.get(record.cardUuid) as string), record);
      if (merge.kind === "conflict") conflicting.add(record.cardUuid);
      else if (merge.kind === "widen") {
        widenFeedback.run(merge.decision.acceptedSuggestionIds.length, decisionOf(merge.decision), record.cardUuid);
        stored += 1;
      }
    }
    // Throwing rolls the whole call back.
    if (conflicting.size > 0) throw new FeedbackConflict([...conflicting]);
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
    // A worker's read-modify-write of a card's row must not interleave with another worker's.
    // The first statement is the INSERT, which takes the write lock before any row is read, so a
    // deferred BEGIN serialises them too (the two-worker test in sqlite-feedback-store.test.ts
    // passes either way; it fails, "database is locked", once a read comes first). IMMEDIATE
    // takes the lock at BEGIN, so the order of the statements is not what keeps it safe.
    recordFeedback: async (records) => recordAll.immediate(records),
    async feedbackFor(cardUuid) {
      const row = selectFeedback.get(cardUuid) as FeedbackRow | undefined;
      return row ? feedbackRecordFromRow(row) : undefined;
    },
    async summaryRows(): Promise<SummaryRows> {
      return { byTier: byTier.all() as SummaryRows["byTier"], reasons: reasons.all() as SummaryRows["reasons"] };
    },
    close: () => db.close(),
  };
}
