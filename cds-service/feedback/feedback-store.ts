/**
 * Feedback storage in an embedded SQLite database (better-sqlite3). Cards are recorded when
 * issued (uuid, hookInstance, tier) so feedback, which names only the card, can be tied to its
 * hook call. No patient identifiers are stored, and neither is the clinician's free-text
 * override comment: it may name the patient, and the summary does not need it.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { FeedbackItem } from "../schemas/feedback-request.ts";

export interface IssuedCard {
  cardUuid: string;
  serviceId: string;
  hookInstance: string;
  tier: string;
  issuer: string;
  issuedAt: string;
}

export interface FeedbackSummary {
  cardsIssued: number;
  feedbackItems: number;
  accepted: number;
  overridden: number;
  /** accepted / (accepted + overridden), null when there is no feedback yet. */
  acceptRate: number | null;
  overrideReasons: { system: string | null; code: string | null; display: string | null; count: number }[];
  byTier: { tier: string; cards: number; accepted: number; overridden: number }[];
}

export interface FeedbackStore {
  recordCard(card: IssuedCard): void;
  /** Stores every item in one transaction; returns how many were stored. */
  recordFeedback(serviceId: string, issuer: string, items: readonly FeedbackItem[], receivedAt: string): number;
  summary(): FeedbackSummary;
  close(): void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS issued_card (
  card_uuid TEXT PRIMARY KEY,
  service_id TEXT NOT NULL,
  hook_instance TEXT NOT NULL,
  tier TEXT NOT NULL,
  issuer TEXT NOT NULL,
  issued_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  service_id TEXT NOT NULL,
  card_uuid TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
  accepted_suggestions INTEGER NOT NULL,
  reason_system TEXT,
  reason_code TEXT,
  reason_display TEXT,
  outcome_timestamp TEXT NOT NULL,
  received_at TEXT NOT NULL,
  issuer TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_card ON feedback(card_uuid);
`;

/** Opens (creating if needed) the database at `path`; ":memory:" for a throwaway store. */
export function openFeedbackStore(path: string): FeedbackStore {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  // WAL's default (FULL) syncs the log to disk on every commit: measured 0.5 ms of CPU and 5.6 ms
  // of blocked event loop per issued card on the development machine, against 0.05 and 0.3 ms
  // with NORMAL. NORMAL, as in the replay cache, loses nothing when the process is killed; only
  // an operating-system crash or power loss can drop the last commits.
  db.pragma("synchronous = NORMAL");
  // Worker processes (npm run serve) write the same file: wait for the other writer, do not fail.
  db.pragma("busy_timeout = 2000");
  db.exec(SCHEMA);

  const insertCard = db.prepare(
    `INSERT OR IGNORE INTO issued_card (card_uuid, service_id, hook_instance, tier, issuer, issued_at)
     VALUES (@cardUuid, @serviceId, @hookInstance, @tier, @issuer, @issuedAt)`,
  );
  const insertFeedback = db.prepare(
    `INSERT INTO feedback (service_id, card_uuid, outcome, accepted_suggestions, reason_system, reason_code,
       reason_display, outcome_timestamp, received_at, issuer)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertAll = db.transaction((serviceId: string, issuer: string, items: readonly FeedbackItem[], receivedAt: string) => {
    for (const item of items) {
      const reason = item.overrideReason?.reason;
      insertFeedback.run(
        serviceId,
        item.card,
        item.outcome,
        item.acceptedSuggestions?.length ?? 0,
        reason?.system ?? null,
        reason?.code ?? null,
        reason?.display ?? null,
        item.outcomeTimestamp,
        receivedAt,
        issuer,
      );
    }
    return items.length;
  });

  const totals = db.prepare(
    `SELECT (SELECT COUNT(*) FROM issued_card) AS cards,
            COUNT(*) AS items,
            COALESCE(SUM(outcome = 'accepted'), 0) AS accepted,
            COALESCE(SUM(outcome = 'overridden'), 0) AS overridden
       FROM feedback`,
  );
  const reasons = db.prepare(
    `SELECT reason_system AS system, reason_code AS code, MAX(reason_display) AS display, COUNT(*) AS count
       FROM feedback WHERE outcome = 'overridden'
      GROUP BY reason_system, reason_code ORDER BY count DESC, code`,
  );
  const tiers = db.prepare(
    `SELECT c.tier AS tier, COUNT(DISTINCT c.card_uuid) AS cards,
            COALESCE(SUM(f.outcome = 'accepted'), 0) AS accepted,
            COALESCE(SUM(f.outcome = 'overridden'), 0) AS overridden
       FROM issued_card c LEFT JOIN feedback f ON f.card_uuid = c.card_uuid
      GROUP BY c.tier ORDER BY c.tier`,
  );

  return {
    recordCard: (card) => void insertCard.run(card),
    recordFeedback: (serviceId, issuer, items, receivedAt) => insertAll(serviceId, issuer, items, receivedAt),
    summary() {
      const t = totals.get() as { cards: number; items: number; accepted: number; overridden: number };
      const decided = t.accepted + t.overridden;
      return {
        cardsIssued: t.cards,
        feedbackItems: t.items,
        accepted: t.accepted,
        overridden: t.overridden,
        acceptRate: decided === 0 ? null : t.accepted / decided,
        overrideReasons: reasons.all() as FeedbackSummary["overrideReasons"],
        byTier: tiers.all() as FeedbackSummary["byTier"],
      };
    },
    close: () => db.close(),
  };
}
