/**
 * Feedback in PostgreSQL (`databaseUrl`), shared by every replica: a card issued by one replica
 * takes feedback at any other, and the operator's summary covers them all. Same tables and
 * rules as the SQLite store; every database failure is StorageUnavailable (503).
 */
import type pg from "pg";
import { inTransaction, migratePostgres, query } from "../storage/postgres-pool.ts";
import { decisionOf, FeedbackConflict, type FeedbackStore, type IssuedCard, type SummaryRows } from "./feedback-store.ts";
import { FEEDBACK_TABLES_SQL, feedbackRowValues, issuedCardFromRow, issuedCardRow, type IssuedCardRow, SUMMARY_BY_TIER_SQL, SUMMARY_REASONS_SQL } from "./feedback-tables.ts";

const MIGRATIONS = [{ version: 1, sql: FEEDBACK_TABLES_SQL }];

export async function openPostgresFeedbackStore(pool: pg.Pool): Promise<FeedbackStore> {
  await migratePostgres(pool, "feedback", MIGRATIONS);
  return {
    async recordIssued(card: IssuedCard) {
      const row = issuedCardRow(card);
      await query(
        pool,
        `INSERT INTO issued_card (card_uuid, service_id, hook_instance, tier, issuer, issued_at, suggestion_ids, override_reasons)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (card_uuid) DO NOTHING`,
        [row.card_uuid, row.service_id, row.hook_instance, row.tier, row.issuer, row.issued_at, row.suggestion_ids, row.override_reasons],
      );
    },
    async issuedCards(issuer, cardUuids) {
      const result = await query<IssuedCardRow>(pool, "SELECT * FROM issued_card WHERE issuer = $1 AND card_uuid = ANY($2)", [issuer, [...cardUuids]]);
      return new Map(result.rows.map((row) => [row.card_uuid, issuedCardFromRow(row)]));
    },
    recordFeedback: (records) =>
      inTransaction(pool, async (client) => {
        let stored = 0;
        const conflicting: string[] = [];
        for (const record of records) {
          const inserted = await query(
            client,
            `INSERT INTO card_feedback (card_uuid, service_id, issuer, outcome, accepted_suggestions, reason_system, reason_code,
               decision, outcome_timestamp, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (card_uuid) DO NOTHING`,
            feedbackRowValues(record),
          );
          if (inserted.rowCount === 1) {
            stored += 1;
            continue;
          }
          const existing = await query<{ decision: string }>(client, "SELECT decision FROM card_feedback WHERE card_uuid = $1", [record.cardUuid]);
          if (existing.rows[0]?.decision !== decisionOf(record)) conflicting.push(record.cardUuid);
        }
        // Throwing rolls the whole call back.
        if (conflicting.length > 0) throw new FeedbackConflict(conflicting);
        return { stored, repeated: records.length - stored };
      }),
    async summaryRows(): Promise<SummaryRows> {
      const [byTier, reasons] = await Promise.all([query(pool, SUMMARY_BY_TIER_SQL), query(pool, SUMMARY_REASONS_SQL)]);
      return { byTier: byTier.rows as SummaryRows["byTier"], reasons: reasons.rows as SummaryRows["reasons"] };
    },
  };
}
