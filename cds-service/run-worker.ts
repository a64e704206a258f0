/**
 * One service process: loads the model and the databases, serves until SIGTERM/SIGINT, then
 * stops gracefully (no new connections, requests in flight finish, model and databases
 * closed). main.ts runs `workers` of these under node:cluster; they share the port.
 */
import cluster from "node:cluster";
import type { Logger } from "pino";
import { createCdsApp } from "./app.ts";
import type { CdsConfig } from "./config.ts";
import { openFeedbackStore } from "./feedback/feedback-store.ts";
import { createModelRiskService, loadModelPool } from "./risk/model-risk-service.ts";
import { listen } from "./server.ts";
import { ReplayCache, type ReplayGuard } from "./security/replay-cache.ts";
import { openSqliteReplayCache } from "./security/sqlite-replay-cache.ts";
import { replaySpanMs } from "./security/verify-jwt.ts";

/** Sent to the primary once this worker accepts connections. */
export interface WorkerListening {
  type: "listening";
  url: string;
  model: string;
  modelVersion: string;
}

/**
 * Settings as one worker of `config.workers` must apply them: rate limits are counted per
 * process, and round robin spreads an issuer's calls evenly, so each worker enforces its share.
 */
export function workerShare(config: CdsConfig): CdsConfig {
  const share = Math.max(1, Math.ceil(config.limits.rateLimitPerWindow / config.workers));
  return { ...config, limits: { ...config.limits, rateLimitPerWindow: share } };
}

/** One worker alone can keep used jtis in memory; several must share them (see sqlite-replay-cache.ts). */
function openReplayCache(config: CdsConfig): { cache: ReplayGuard; close: () => void } {
  if (config.workers === 1) return { cache: new ReplayCache(config.jwt.replayCacheSize, replaySpanMs(config.jwt)), close: () => undefined };
  const cache = openSqliteReplayCache(config.jwt.replayCachePath, replaySpanMs(config.jwt));
  return { cache, close: () => cache.close() };
}

export async function runWorker(config: CdsConfig, logger: Logger): Promise<void> {
  const models = await loadModelPool(config.model);
  const model = models[0]!;
  const feedback = openFeedbackStore(config.feedback.dbPath);
  const replay = openReplayCache(config);
  const app = createCdsApp(workerShare(config), { logger, risk: createModelRiskService(models), feedback, replayCache: replay.cache });
  const running = await listen(app, { port: config.port, host: config.host });
  const listening: WorkerListening = { type: "listening", url: running.url, model: model.info.name, modelVersion: model.info.version };
  if (cluster.isWorker) process.send?.(listening);
  logger.debug({ url: running.url }, "worker listening");

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "worker shutting down");
    await running.close();
    feedback.close();
    replay.close();
    await Promise.all(models.map((m) => m.release()));
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  // A stray rejection is logged, not fatal: one bad request must not take the service down.
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));
}
