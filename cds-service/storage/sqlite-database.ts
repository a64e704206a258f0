/**
 * Opens an embedded SQLite database (better-sqlite3) that several worker processes may share,
 * and brings a component's schema up to date. Its files are owner-only (0600).
 */
import Database from "better-sqlite3";
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { type Migration, MIGRATIONS_TABLE_SQL, pendingMigrations, type StoreComponent } from "./migrations.ts";

/** How long a write waits for another worker's lock while serving. */
export const BUSY_TIMEOUT_MS = 2000;
/** How long opening waits for another worker's schema lock. */
export const OPEN_BUSY_TIMEOUT_MS = 30_000;

/** Who copies the write-ahead log back into the database file. */
export type WalCheckpoints =
  /** The connection that commits past SQLite's threshold (1000 pages), inside that request. */
  | "auto"
  /** Another process (the cluster primary, wal-checkpointer.ts): a checkpoint syncs the file
   * and blocked a worker's request for 4-30 ms about every 120 writes. */
  | "external";

/**
 * The mode of the state files: readable and writable by the service's user only. They hold hook
 * instance ids, card ids and used token ids, which no other user of the machine has to read.
 */
export const STATE_FILE_MODE = 0o600;

/** SQLite's files beside a database: its rollback journal, write-ahead log and shared memory. */
const SQLITE_COMPANIONS = ["-journal", "-wal", "-shm"];

/**
 * Makes the database at `path` owner-only before SQLite opens it: created empty with mode 0600
 * when it does not exist (SQLite reads an empty file as a new database), chmod 0600 when it
 * exists with another mode (an earlier version's 0644 file), whatever the umask. SQLite creates
 * the journal, WAL and shared-memory files with the database file's mode, so they follow; those
 * an earlier version left are made 0600 here too. The file is opened only when this call creates
 * it: closing a descriptor of a file would drop the locks this process's SQLite connections hold
 * on it. A file of another user (shared through a group-writable folder) keeps its owner's mode:
 * only its owner may change it, and the service started with such files before. (The population
 * job has its own helper, population/owner-only-files.ts; the service cannot import from
 * population/.)
 */
function makeOwnerOnly(path: string): void {
  try {
    closeSync(openSync(path, "wx", STATE_FILE_MODE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  for (const file of [path, ...SQLITE_COMPANIONS.map((suffix) => `${path}${suffix}`)]) {
    try {
      if ((statSync(file).mode & 0o777) !== STATE_FILE_MODE) chmodSync(file, STATE_FILE_MODE);
    } catch (err) {
      // A companion that does not exist, or that the last connection of another worker removed
      // meanwhile; or a file of another user (EPERM), whose mode is its owner's to set.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "EPERM") throw err;
    }
  }
}

/** Pause between attempts to switch a fresh file to WAL while another process switches it. */
const WAL_SWITCH_RETRY_MS = 10;

/**
 * On a fresh file (rollback journal) two processes switching to WAL together each hold a read
 * lock and want the exclusive one. SQLite sees the deadlock and answers one of them
 * SQLITE_BUSY at once, without the busy timeout (https://www.sqlite.org/c3ref/busy_handler.html):
 * 4 processes opening one fresh file together failed this way 13% of the time. The refused one
 * tries again; by then the other has switched the file and the switch is a read.
 */
function switchToWal(db: Database.Database, deadline: number): void {
  for (;;) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== "SQLITE_BUSY" || Date.now() >= deadline) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, WAL_SWITCH_RETRY_MS);
    }
  }
}

export function openSqliteDatabase(
  path: string,
  component: StoreComponent,
  migrations: readonly Migration[],
  checkpoints: WalCheckpoints = "auto",
): Database.Database {
  // "" is better-sqlite3's anonymous temporary database, no file of ours.
  if (path !== ":memory:" && path !== "") {
    mkdirSync(dirname(path), { recursive: true });
    makeOwnerOnly(path);
  }
  // Workers starting together queue for the write lock that the switch to WAL and the
  // migrations take; on a loaded machine a start-up can wait seconds, so the wait at open is long.
  const db = new Database(path, { timeout: OPEN_BUSY_TIMEOUT_MS });
  switchToWal(db, Date.now() + OPEN_BUSY_TIMEOUT_MS);
  // WAL's default (FULL) syncs the log on every commit: measured 0.5 ms of CPU and 5.6 ms of
  // blocked event loop per issued card, against 0.05 and 0.3 ms with NORMAL. NORMAL loses
  // nothing when the process is killed; only an OS crash or power loss can drop the last commits.
  db.pragma("synchronous = NORMAL");
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
  // Workers write the same file: a writer waits for the other instead of failing.
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (checkpoints === "external") db.pragma("wal_autocheckpoint = 0");
  return db;
}
