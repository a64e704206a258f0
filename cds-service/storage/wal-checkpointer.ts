/**
 * Copies the SQLite write-ahead logs of the service's state files back into the databases, in
 * the cluster primary, off every request's path. Workers open the files with automatic
 * checkpoints off (sqlite-database.ts, "external"); a PASSIVE checkpoint never blocks their
 * writes, so they keep appending while this process syncs the database file.
 */
import Database from "better-sqlite3";
import type { Logger } from "pino";

export interface WalCheckpointer {
  /** Checkpoints every file once; returns the log frames copied per file. */
  checkpointNow(): number[];
  stop(): void;
}

/** How often the primary checkpoints: at the bench's peak (~500 writes/s) about 1000 pages. */
const CHECKPOINT_INTERVAL_MS = 1000;

export function startWalCheckpointer(paths: readonly string[], logger: Logger, intervalMs = CHECKPOINT_INTERVAL_MS): WalCheckpointer {
  const dbs = paths.map((path) => new Database(path, { fileMustExist: true, timeout: 1000 }));
  const checkpointNow = (): number[] =>
    dbs.map((db) => {
      const [result] = db.pragma("wal_checkpoint(PASSIVE)") as { busy: number; log: number; checkpointed: number }[];
      return result?.checkpointed ?? 0;
    });
  const timer = setInterval(() => {
    try {
      checkpointNow();
    } catch (err) {
      // A missed checkpoint only lets the log grow until the next one; it must not stop the service.
      logger.warn({ err: (err as Error).message }, "WAL checkpoint failed");
    }
  }, intervalMs);
  timer.unref();
  return {
    checkpointNow,
    stop: () => {
      clearInterval(timer);
      for (const db of dbs) db.close();
    },
  };
}
