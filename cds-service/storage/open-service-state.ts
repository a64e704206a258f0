/**
 * The service's shared state: used JWT ids and feedback. PostgreSQL when `databaseUrl` is set
 * (replicas on several machines), otherwise SQLite files (one machine, any number of workers).
 * Either way the ids outlive a restart. Migrations run here, at start.
 */
import type { Logger } from "pino";
import type { CdsConfig } from "../config.ts";
import type { FeedbackStore } from "../feedback/feedback-store.ts";
import { openPostgresFeedbackStore } from "../feedback/postgres-feedback-store.ts";
import { openSqliteFeedbackStore } from "../feedback/sqlite-feedback-store.ts";
import { openPostgresReplayCache } from "../security/postgres-replay-cache.ts";
import type { ReplayGuard } from "../security/replay-cache.ts";
import { openSqliteReplayCache } from "../security/sqlite-replay-cache.ts";
import { replaySpanMs } from "../security/verify-jwt.ts";
import { createPostgresPool } from "./postgres-pool.ts";
import type { WalCheckpoints } from "./sqlite-database.ts";

export interface ServiceState {
  replay: ReplayGuard;
  feedback: FeedbackStore;
  close(): Promise<void>;
}

/**
 * `checkpoints: "external"` when the cluster primary checkpoints the SQLite files
 * (wal-checkpointer.ts), so that no worker's request waits for one.
 */
export async function openServiceState(config: CdsConfig, logger: Logger, checkpoints: WalCheckpoints = "auto"): Promise<ServiceState> {
  const span = replaySpanMs(config.jwt);
  if (config.databaseUrl) {
    const pool = createPostgresPool(config.databaseUrl, logger);
    try {
      return {
        replay: await openPostgresReplayCache(pool, span),
        feedback: await openPostgresFeedbackStore(pool),
        close: () => pool.end(),
      };
    } catch (err) {
      await pool.end();
      throw err;
    }
  }
  const replay = openSqliteReplayCache(config.jwt.replayCachePath, span, Date.now, checkpoints);
  const feedback = openSqliteFeedbackStore(config.feedback.dbPath, checkpoints);
  return {
    replay,
    feedback,
    close: async () => {
      replay.close();
      feedback.close();
    },
  };
}
