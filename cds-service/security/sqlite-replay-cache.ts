/**
 * Used JWT ids in an SQLite file (`jwt.replayCachePath`), the default store of `npm run serve`
 * whatever the worker count: cluster round robin sends a replayed token to any worker, and a
 * restarted service must still refuse a token used before the restart, so ids live neither in
 * one process's memory nor only as long as it runs. One INSERT per call, in WAL mode without a
 * sync per commit: tens of microseconds; a power loss can lose only the last few ids.
 */
import { openSqliteDatabase, type WalCheckpoints } from "../storage/sqlite-database.ts";
import type { ReplayGuard } from "./replay-cache.ts";

export interface SqliteReplayCache extends ReplayGuard {
  close(): void;
}

/** Expired ids are deleted at most this often (a cheap range delete on the expiry index). */
export const PURGE_EVERY_MS = 1000;

const MIGRATIONS = [
  {
    version: 1,
    sql: `CREATE TABLE IF NOT EXISTS seen_jti (id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID;
          CREATE INDEX IF NOT EXISTS seen_jti_expiry ON seen_jti(expires_at);`,
  },
];

/**
 * Opens (creating if needed) the cache at `path`. Every id is kept for `ttlMs`; an id whose
 * entry has expired is accepted again, as in the in-memory cache.
 */
export function openSqliteReplayCache(path: string, ttlMs: number, now: () => number = Date.now, checkpoints: WalCheckpoints = "auto"): SqliteReplayCache {
  const db = openSqliteDatabase(path, "replay", MIGRATIONS, checkpoints);
  // Inserts a new id or revives an expired one; a live duplicate changes no row.
  const insert = db.prepare(
    `INSERT INTO seen_jti (id, expires_at) VALUES (?, ?)
     ON CONFLICT(id) DO UPDATE SET expires_at = excluded.expires_at WHERE seen_jti.expires_at <= ?`,
  );
  const purge = db.prepare("DELETE FROM seen_jti WHERE expires_at <= ?");
  let lastPurge = 0;
  return {
    async remember(id) {
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
