/**
 * The primary process of `npm run serve`: forks `config.workers` service processes
 * (run-worker.ts) that share the port through node:cluster, and supervises them.
 *
 * Why processes: onnxruntime-node, JSON parsing of the ~200 KiB prefetch and JWT checks all
 * run on a process's one event loop, so one process uses one core (README, "Speed").
 * Round robin spreads connections; nothing is sticky, which is why used JWT ids live in a
 * shared SQLite file and rate limits are split between workers (run-worker.ts).
 *
 * A worker that dies after it was serving is replaced (at most MAX_RESTARTS per minute, then
 * the service stops: a crash loop should page someone, not spin). A worker that dies before
 * it ever listened (bad model file, port taken) stops the service with exit code 1.
 * SIGTERM/SIGINT: every worker finishes its requests in flight, then the primary exits 0.
 * With SQLite state the primary also checkpoints the files' write-ahead logs (wal-checkpointer.ts).
 */
import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";
import type { CdsConfig } from "./config.ts";
import type { WorkerListening } from "./run-worker.ts";
import { startWalCheckpointer, type WalCheckpointer } from "./storage/wal-checkpointer.ts";

const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

export function runPrimary(config: CdsConfig, logger: Logger): void {
  const listening = new Set<number>();
  const everListened = new Set<number>();
  const restarts: number[] = [];
  let announced = false;
  let stopping = false;
  let checkpointer: WalCheckpointer | undefined;

  const stopAll = (signal: NodeJS.Signals, exitCode: number): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    checkpointer?.stop();
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) process.exit(exitCode);
    let left = workers.length;
    for (const w of workers) {
      w.once("exit", () => {
        left -= 1;
        if (left === 0) {
          logger.info("stopped");
          process.exit(exitCode);
        }
      });
      w.process.kill(signal);
    }
  };

  const fork = (): void => {
    const worker = cluster.fork();
    worker.on("message", (message: WorkerListening) => {
      if (message?.type !== "listening") return;
      listening.add(worker.id);
      everListened.add(worker.id);
      if (!announced && listening.size === config.workers) {
        announced = true;
        const { url, model, modelVersion, baselineModel, baselineModelVersion } = message;
        logger.info({ url, publicBaseUrl: config.publicBaseUrl, workers: config.workers, model, modelVersion, baselineModel, baselineModelVersion }, "CDS service listening");
        checkpointer = startSqliteCheckpoints(config, logger);
      }
    });
    worker.on("exit", (code, signal) => {
      listening.delete(worker.id);
      if (stopping) return;
      if (!everListened.has(worker.id)) {
        logger.error({ code, signal }, "a worker failed to start; stopping the service");
        stopAll("SIGTERM", 1);
        return;
      }
      const now = Date.now();
      restarts.push(now);
      while (restarts.length > 0 && restarts[0]! < now - RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length > MAX_RESTARTS) {
        logger.error({ code, signal, restarts: restarts.length }, "workers keep dying; stopping the service");
        stopAll("SIGTERM", 1);
        return;
      }
      logger.error({ code, signal }, "a worker died; starting a new one");
      fork();
    });
  };

  for (let i = 0; i < config.workers; i++) fork();
  process.on("SIGTERM", () => stopAll("SIGTERM", 0));
  process.on("SIGINT", () => stopAll("SIGINT", 0));
}

/** The SQLite files the workers write (none with PostgreSQL or in-memory databases). */
function startSqliteCheckpoints(config: CdsConfig, logger: Logger): WalCheckpointer | undefined {
  if (config.databaseUrl) return undefined;
  const files = [config.jwt.replayCachePath, config.feedback.dbPath].filter((path) => path !== ":memory:");
  return files.length > 0 ? startWalCheckpointer(files, logger) : undefined;
}
