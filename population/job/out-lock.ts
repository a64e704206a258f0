/**
 * One run at a time in an output folder. Two runs on one --out would corrupt each other: the
 * second deletes the first's spill as a killed run's leftover (spill-folder.ts), both store
 * patients and counts in one checkpoint, both write the same outputs. So a run (a scoring run,
 * with its --fhir export, or a merge) first takes OUT's lock, and a second is refused at once.
 *
 * The lock is SQLite's exclusive lock on `OUT/run.lock` (a POSIX advisory lock on the file),
 * which the OS drops when the process ends, however it ends: kill -9 or an OOM kill leaves no
 * stale lock to clean by hand. Not chosen: a file holding the process id, which after kill -9
 * stays behind and says nothing on a shared volume or in another container's process-id
 * namespace (the same reason as for the spill); the checkpoint's own database, which would shut
 * out whoever reads its progress while the run goes on.
 */
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { onInterrupt } from "../../models/features/interrupt-cleanup.ts";
import { highestMissingFolder, removeFoldersMade } from "../folders-made.ts";
import { mkdirOwnerOnly, openOwnerOnlyDatabase } from "../owner-only-files.ts";

export const LOCK_FILE = "run.lock";

export class OutInUseError extends Error {
  override name = "OutInUseError";
}

export interface OutLock {
  release(): void;
  /**
   * Releases the lock and takes away what taking it made, for a run that stored nothing in OUT
   * (a --fhir kick-off the server refused) or leaves nothing there it needs again (evaluate): the
   * lock file when this lock created it, then OUT and its parents when it made them and they are
   * empty. Never an OUT, a file or a lock file that was there before. The file goes while the lock
   * is still held, so that a run that opens it meanwhile is refused; only a run that opened it in
   * the microseconds before and tries the lock just after could lock the removed file, beside one
   * that creates a new file (why "never delete it by hand" holds for a file another run holds).
   */
  releaseLeavingNoTrace(): void;
}

/** Creates OUT when missing and takes its lock; throws OutInUseError while another process
 * holds it. */
export function lockOut(outDir: string): OutLock {
  const lockFile = join(outDir, LOCK_FILE);
  // Created 0700 (an --out that exists keeps its mode); the lock file, empty, 0600 as every file
  // of the run (owner-only-files.ts).
  const highestFolderMade = highestMissingFolder(outDir);
  mkdirOwnerOnly(outDir);
  const lockFileMade = !existsSync(lockFile);
  // No busy timeout: a run holds the lock for hours, so waiting for it would only delay the refusal.
  const db = openOwnerOnlyDatabase(lockFile, { timeout: 0 });
  try {
    // In exclusive locking mode a connection keeps the exclusive lock of its first write
    // transaction until it closes; this one changes nothing.
    db.pragma("locking_mode = EXCLUSIVE");
    db.exec("BEGIN EXCLUSIVE; COMMIT");
  } catch (error) {
    db.close();
    if ((error as { code?: unknown }).code !== "SQLITE_BUSY") throw error;
    throw new OutInUseError(
      `another run is using ${outDir} (it holds ${join(outDir, LOCK_FILE)}): wait for it to end, or use another --out. ` +
        "The lock goes when that process ends, however it ends; do not delete the file",
    );
  }
  return {
    release: () => db.close(),
    releaseLeavingNoTrace: () => {
      if (lockFileMade) rmSync(lockFile, { force: true });
      db.close();
      removeFoldersMade(outDir, highestFolderMade);
    },
  };
}

/** Runs `work` holding OUT's lock, then releases it leaving no trace (releaseLeavingNoTrace),
 * also when Ctrl-C, SIGTERM or SIGHUP stops it (interrupt-cleanup.ts, which then ends the process
 * as the signal does): for the commands whose --out is a folder of reports (evaluate,
 * recalibrate), not a run's state to resume. */
export async function withOutLockLeavingNoTrace<T>(outDir: string, work: () => Promise<T>): Promise<T> {
  let lock: OutLock | null = null;
  // Registered before the lock is taken: a signal can never find the lock file without it.
  const forget = onInterrupt(`release ${join(outDir, LOCK_FILE)}`, () => lock?.releaseLeavingNoTrace());
  try {
    lock = lockOut(outDir);
    return await work();
  } finally {
    forget();
    lock?.releaseLeavingNoTrace();
  }
}
