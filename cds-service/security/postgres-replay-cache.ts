/**
 * Used JWT ids in PostgreSQL (`databaseUrl`), shared by every replica behind a load balancer:
 * a token used at one replica is refused at all others and after any restart. Same rule as
 * the SQLite cache: one statement inserts a new id or revives an expired one, and a live
 * duplicate changes no row. When the database cannot answer, remember() rejects with
 * StorageUnavailable and the call is refused (never accepted without the check).
 */
import type pg from "pg";
import { migratePostgres, query } from "../storage/postgres-pool.ts";
import type { ReplayGuard } from "./replay-cache.ts";
import { PURGE_EVERY_MS } from "./sqlite-replay-cache.ts";

const MIGRATIONS = [
  {
    version: 1,
    sql: `CREATE TABLE seen_jti (id TEXT PRIMARY KEY, expires_at BIGINT NOT NULL);
          CREATE INDEX seen_jti_expiry ON seen_jti (expires_at);`,
  },
];

export async function openPostgresReplayCache(pool: pg.Pool, ttlMs: number, now: () => number = Date.now): Promise<ReplayGuard> {
  await migratePostgres(pool, "replay", MIGRATIONS);
  let lastPurge = 0;
  return {
    async remember(id) {
      const t = now();
      if (t - lastPurge >= PURGE_EVERY_MS) {
        lastPurge = t;
        await query(pool, "DELETE FROM seen_jti WHERE expires_at <= $1", [t]);
      }
      const result = await query(
        pool,
        `INSERT INTO seen_jti (id, expires_at) VALUES ($1, $2)
         ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at WHERE seen_jti.expires_at <= $3`,
        [id, t + ttlMs, t],
      );
      return result.rowCount === 1;
    },
  };
}
