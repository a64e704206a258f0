/**
 * Schema migrations, run at start by every store for its own component ("replay",
 * "feedback"), so SQLite files and a PostgreSQL database shared by several replicas reach the
 * same schema. Applied versions are recorded per component in `schema_migrations`; a version
 * is applied once, in order, never edited after it shipped (add a new one instead).
 */
export interface Migration {
  version: number;
  sql: string;
}

export type StoreComponent = "replay" | "feedback";

export const MIGRATIONS_TABLE_SQL =
  "CREATE TABLE IF NOT EXISTS schema_migrations (component TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (component, version))";

/** The migrations not yet applied, in version order. */
export function pendingMigrations(migrations: readonly Migration[], applied: readonly number[]): Migration[] {
  const done = new Set(applied);
  return [...migrations].sort((a, b) => a.version - b.version).filter((m) => !done.has(m.version));
}
