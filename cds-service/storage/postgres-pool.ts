/**
 * The PostgreSQL connection pool (node-postgres) that replicas use for used JWT ids and
 * feedback, and the one way stores query it. Every failure becomes StorageUnavailable (503,
 * fail closed). node-postgres drops a broken connection and opens a new one on the next
 * query, so the service recovers by itself when the database comes back.
 */
import pg from "pg";
import type { Logger } from "pino";
import { type Migration, MIGRATIONS_TABLE_SQL, pendingMigrations, type StoreComponent } from "./migrations.ts";
import { StorageUnavailable } from "./storage-unavailable.ts";

/** Bounds that keep a hook call from waiting on a dead database longer than an EHR waits for a card. */
const CONNECT_TIMEOUT_MS = 2000;
const QUERY_TIMEOUT_MS = 3000;

export function createPostgresPool(connectionString: string, logger: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection the server closed (restart, failover) emits here; unhandled, it would end the process.
  pool.on("error", (err: Error & { code?: string }) => logger.warn({ code: err.code }, "database connection lost; reconnecting on next use"));
  return pool;
}

/** Anything that runs SQL: the pool, or one client inside a transaction. */
export type Queryable = Pick<pg.Pool, "query"> | pg.PoolClient;

export async function query<R extends pg.QueryResultRow>(db: Queryable, text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
  try {
    return await db.query<R>(text, values);
  } catch (err) {
    throw new StorageUnavailable("database query failed", { cause: err });
  }
}

/** Runs `work` in one transaction on one connection; rolls back on any error. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw new StorageUnavailable("cannot connect to the database", { cause: err });
  }
  try {
    await query(client, "BEGIN");
    const result = await work(client);
    await query(client, "COMMIT");
    client.release();
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    // A connection that failed mid-transaction may be broken: the pool discards it instead of reusing it.
    client.release(err instanceof StorageUnavailable);
    throw err;
  }
}

/**
 * Applies a component's pending migrations. Replicas starting together serialise on an
 * advisory lock held for the transaction, so each version is applied exactly once.
 */
export async function migratePostgres(pool: pg.Pool, component: StoreComponent, migrations: readonly Migration[]): Promise<void> {
  await inTransaction(pool, async (client) => {
    await query(client, "SELECT pg_advisory_xact_lock(hashtext('patella-schema-migrations'))");
    await query(client, MIGRATIONS_TABLE_SQL);
    const applied = await query<{ version: number }>(client, "SELECT version FROM schema_migrations WHERE component = $1", [component]);
    for (const m of pendingMigrations(migrations, applied.rows.map((r) => r.version))) {
      await query(client, m.sql);
      await query(client, "INSERT INTO schema_migrations (component, version) VALUES ($1, $2)", [component, m.version]);
    }
  });
}
