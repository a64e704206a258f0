/**
 * Files and folders that hold patient data, or may, readable by their owner only: files 0600,
 * folders 0700, whatever the process's umask. A mode given to open or mkdir is masked by the
 * umask (and ignored for a file that exists), so each is set again once created, before anything
 * is written: a umask of 022 (the usual default, which gives 0644 files readable by every user of
 * the machine) or 0 gives the same modes. Used by every writer of the population job, its Bulk
 * Data client and the models' CLIs that write patients' data (features, their scratch folders,
 * the imaging import's --out Bundle) or figures on a site's patients (evaluate's and recalibrate's
 * reports and recalibrated model).
 */
import { chmodSync, closeSync, existsSync, fchmodSync, mkdirSync, mkdtempSync, openSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";

export const OWNER_ONLY_FILE = 0o600;
const OWNER_ONLY_FOLDER = 0o700;

/** Opens `path` for writing (`flags`, default created or truncated), owner-only before a byte is
 * written, also when it existed (a killed run's leftover, an earlier version's file). */
export function openOwnerOnly(path: string, flags = "w"): number {
  const fd = openSync(path, flags, OWNER_ONLY_FILE);
  try {
    fchmodSync(fd, OWNER_ONLY_FILE);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}

/** writeFileSync, owner-only (openOwnerOnly). */
export function writeFileOwnerOnly(path: string, data: string | Uint8Array): void {
  const fd = openOwnerOnly(path);
  try {
    writeFileSync(fd, data);
  } finally {
    closeSync(fd);
  }
}

/**
 * Creates `folder`, 0700, and its missing parents as `mkdir -p` would (the umask's mode: an
 * --out deep in a team's shared tree must not lock the others out of its parents; what holds
 * data is inside `folder`). A folder that exists keeps its mode, unless `ownFolder`: then it is
 * made 0700, for the folders the job names and owns (`export/files`, ...), which an earlier
 * version created with the umask's mode. A folder given by the user (--out, --temp-dir, the OS
 * temp folder) is never changed when it exists.
 */
export function mkdirOwnerOnly(folder: string, ownFolder = false): void {
  mkdirSync(dirname(resolve(folder)), { recursive: true });
  let created = true;
  try {
    mkdirSync(folder, { mode: OWNER_ONLY_FOLDER });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST" || !statSync(folder).isDirectory()) throw error;
    created = false;
  }
  if (created || ownFolder) chmodSync(folder, OWNER_ONLY_FOLDER);
}

/** mkdtempSync, 0700 whatever the umask. */
export function mkdtempOwnerOnly(prefix: string): string {
  const folder = mkdtempSync(prefix);
  chmodSync(folder, OWNER_ONLY_FOLDER);
  return folder;
}

/** SQLite's files beside a database: its rollback journal, write-ahead log and shared memory. */
const SQLITE_COMPANIONS = ["-journal", "-wal", "-shm"];

/**
 * A SQLite database opened at `path` whose file is owner-only: created so (empty, which SQLite
 * reads as a new database), or made so when it exists, before SQLite opens it. SQLite creates its
 * journal, WAL and shared-memory files with the database file's mode (whatever the umask), so
 * they follow; those an earlier version left are made owner-only too.
 */
export function openOwnerOnlyDatabase(path: string, options?: Database.Options): Database.Database {
  closeSync(openOwnerOnly(path, "a"));
  for (const suffix of SQLITE_COMPANIONS) if (existsSync(`${path}${suffix}`)) chmodSync(`${path}${suffix}`, OWNER_ONLY_FILE);
  return new Database(path, options);
}
