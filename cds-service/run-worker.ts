/**
 * One service process: loads the model and the databases, serves until SIGTERM/SIGINT, then
 * stops gracefully (no new connections, requests in flight finish, model and databases
 * closed). main.ts runs `workers` of these under node:cluster; they share the port.
 */
import cluster from "node:cluster";
import type { Logger } from "pino";
import { createCdsApp } from "./app.ts";
import type { CdsConfig } from "./config.ts";
import { createModelRiskService, loadBaselineModel, loadModelPool } from "./risk/model-risk-service.ts";
import { listen } from "./server.ts";
import { openServiceState } from "./storage/open-service-state.ts";

/** Sent to the primary once this worker accepts connections. */
export interface WorkerListening {
  type: "listening";
  url: string;
  model: string;
  modelVersion: string;
  /** The age/sex baseline model the cards compare with. */
  baselineModel: string;
  baselineModelVersion: string;
}

/**
 * Settings as one worker of `config.workers` must apply them: rate limits are counted per
 * process, and round robin spreads an issuer's calls evenly, so each worker enforces its share.
 */
export function workerShare(config: CdsConfig): CdsConfig {
  const share = Math.max(1, Math.ceil(config.limits.rateLimitPerWindow / config.workers));
  return { ...config, limits: { ...config.limits, rateLimitPerWindow: share } };
}

export async function runWorker(config: CdsConfig, logger: Logger): Promise<void> {
  const models = await loadModelPool(config.model);
  const baseline = await loadBaselineModel(config.model);
  const model = models[0]!;
  // Migrations run here; a database that cannot be reached stops the start (exit 1, restarted by the orchestrator).
  // Under the cluster primary, which checkpoints the SQLite files (cluster-primary.ts).
  const state = await openServiceState(config, logger, cluster.isWorker ? "external" : "auto");
  const app = createCdsApp(workerShare(config), { logger, risk: createModelRiskService(models, baseline), feedback: state.feedback, replayCache: state.replay });
  const running = await listen(app, { port: config.port, host: config.host });
  const listening: WorkerListening = { type: "listening", url: running.url, model: model.info.name, modelVersion: model.info.version, baselineModel: baseline.info.name, baselineModelVersion: baseline.info.version };
  if (cluster.isWorker) process.send?.(listening);
  logger.debug({ url: running.url }, "worker listening");

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "worker shutting down");
    await running.close();
    await state.close();
    await Promise.all([...models, baseline].map((m) => m.release()));
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  // A stray rejection is logged, not fatal: one bad request must not take the service down.
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));
}
