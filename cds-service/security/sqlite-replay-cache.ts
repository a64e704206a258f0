/**
 * A replay cache that several worker processes share through one SQLite file (`npm run serve`
 * with workers > 1). Cluster round robin sends a replayed token to any worker, so per-process
 * memory would let a captured token through once per worker; a shared file closes that, and
 * it also survives a restart. One INSERT per call, in WAL mode without a sync per commit:
 * tens of microseconds, and a crash can lose only the last few ids, which is the same risk
 * as the in-memory cache losing all of them.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { ReplayGuard } from "./replay-cache.ts";

export interface SqliteReplayCache extends ReplayGuard {
  close(): void;
}

/** Expired ids are deleted at most this often (a cheap range delete on the expiry index). */
const PURGE_EVERY_MS = 1000;

/**
 * Opens (creating if needed) the cache at `path`. Every id is kept for `ttlMs`; an id whose
 * entry has expired is accepted again, as in the in-memory cache.
 */
export function openSqliteReplayCache(path: string, ttlMs: number, now: () => number = Date.now): SqliteReplayCache {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  // Workers write the same file; a writer waits for the other instead of failing.
  db.pragma("busy_timeout = 2000");
  db.exec(`CREATE TABLE IF NOT EXISTS seen_jti (id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID;
           CREATE INDEX IF NOT EXISTS seen_jti_expiry ON seen_jti(expires_at);`);
  // Inserts a new id or revives an expired one; a live duplicate changes no row.
  const insert = db.prepare(
    `INSERT INTO seen_jti (id, expires_at) VALUES (?, ?)
     ON CONFLICT(id) DO UPDATE SET expires_at = excluded.expires_at WHERE seen_jti.expires_at <= ?`,
  );
  const purge = db.prepare("DELETE FROM seen_jti WHERE expires_at <= ?");
  let lastPurge = 0;
  return {
    remember(id) {
      const t = now();
      if (t - lastPurge >= PURGE_EVERY_MS) {
        purge.run(t);
        lastPurge = t;
      }
      return insert.run(id, t + ttlMs, t).changes === 1;
    },
    close: () => db.close(),
  };
}
