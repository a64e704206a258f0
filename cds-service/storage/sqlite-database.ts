/**
 * Opens an embedded SQLite database (better-sqlite3) that several worker processes may share,
 * and brings a component's schema up to date.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type Migration, MIGRATIONS_TABLE_SQL, pendingMigrations, type StoreComponent } from "./migrations.ts";

export function openSqliteDatabase(path: string, component: StoreComponent, migrations: readonly Migration[]): Database.Database {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  // Workers write the same file: a writer waits for the other instead of failing.
  db.pragma("busy_timeout = 2000");
  db.exec(MIGRATIONS_TABLE_SQL);
  // IMMEDIATE takes the write lock first, so two workers starting together migrate one after the other.
  db.transaction(() => {
    const applied = db.prepare("SELECT version FROM schema_migrations WHERE component = ?").pluck().all(component) as number[];
    const record = db.prepare("INSERT INTO schema_migrations (component, version) VALUES (?, ?)");
    for (const m of pendingMigrations(migrations, applied)) {
      db.exec(m.sql);
      record.run(component, m.version);
    }
  }).immediate();
  return db;
}
