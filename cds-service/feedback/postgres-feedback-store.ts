/**
 * Feedback in PostgreSQL (`databaseUrl`), shared by every replica: a card issued by one replica
 * takes feedback at any other, and the operator's summary covers them all. Same tables and
 * rules as the SQLite store; every database failure is StorageUnavailable (503).
 */
import type pg from "pg";
import { inTransaction, migratePostgres, query } from "../storage/postgres-pool.ts";
import { decisionOf, FeedbackConflict, type FeedbackStore, type IssuedCard, mergeDecision, parseDecision, type SummaryRows } from "./feedback-store.ts";
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
        const conflicting = new Set<string>();
        // Every call takes its cards' locks in card order, so two calls naming the same cards
        // cannot deadlock. The sort is stable: one card's records keep their order.
        const ordered = [...records].sort((a, b) => (a.cardUuid < b.cardUuid ? -1 : a.cardUuid > b.cardUuid ? 1 : 0));
        for (const record of ordered) {
          // Waits while another transaction holds an uncommitted row for the card, then does nothing if it committed.
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
          // FOR UPDATE: a replica merging into the same row waits until this transaction ends and
          // then reads what it committed, so neither replica's suggestions are lost.
          const existing = await query<{ decision: string }>(client, "SELECT decision FROM card_feedback WHERE card_uuid = $1 FOR UPDATE", [record.cardUuid]);
          const row = existing.rows[0];
          if (!row) throw new Error(`card_feedback row for ${record.cardUuid} vanished inside a transaction`);
          const merge = mergeDecision(parseDecision(row.decision), record);
          if (merge.kind === "conflict") conflicting.add(record.cardUuid);
          else if (merge.kind === "widen") {
            await query(client, "UPDATE card_feedback SET accepted_suggestions = $1, decision = $2 WHERE card_uuid = $3", [
              merge.decision.acceptedSuggestionIds.length,
              decisionOf(merge.decision),
              record.cardUuid,
            ]);
            stored += 1;
          }
        }
        // Throwing rolls the whole call back.
        if (conflicting.size > 0) throw new FeedbackConflict([...conflicting]);
        return { stored, repeated: records.length - stored };
      }),
    async feedbackFor(cardUuid) {
      const result = await query<FeedbackRow>(pool, "SELECT * FROM card_feedback WHERE card_uuid = $1", [cardUuid]);
      return result.rows[0] ? feedbackRecordFromRow(result.rows[0]) : undefined;
    },
    async summaryRows(): Promise<SummaryRows> {
      const [byTier, reasons] = await Promise.all([query(pool, SUMMARY_BY_TIER_SQL), query(pool, SUMMARY_REASONS_SQL)]);
      return { byTier: byTier.rows as SummaryRows["byTier"], reasons: reasons.rows as SummaryRows["reasons"] };
    },
  };
}
