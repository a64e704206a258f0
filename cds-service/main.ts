/**
 * `npm run serve`: the CDS Hooks service for production. Configuration comes from
 * PATELLA_CDS_CONFIG (a JSON file) and environment variables (cds-service/README.md).
 * SIGTERM/SIGINT stop it gracefully: no new connections, requests in flight finish, the model
 * and the feedback database are closed.
 */
import { createCdsApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import { openFeedbackStore } from "./feedback/feedback-store.ts";
import { createLogger } from "./logger.ts";
import { createModelRiskService, loadModelPool } from "./risk/model-risk-service.ts";
import { listen } from "./server.ts";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel);
  if (config.issuers.length === 0 && !config.allowUnsignedLoopback) {
    logger.warn("no issuers configured: every EHR call will be refused (set PATELLA_CDS_ISSUERS or issuers in the config file)");
  }
  const models = await loadModelPool(config.model);
  const model = models[0]!;
  const feedback = openFeedbackStore(config.feedback.dbPath);
  const app = createCdsApp(config, { logger, risk: createModelRiskService(models), feedback });
  const running = await listen(app, { port: config.port, host: config.host });
  logger.info({ url: running.url, publicBaseUrl: config.publicBaseUrl, model: model.info.name, modelVersion: model.info.version }, "CDS service listening");

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    await running.close();
    feedback.close();
    await Promise.all(models.map((m) => m.release()));
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  // A stray rejection is logged, not fatal: one bad request must not take the service down.
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));
}

main().catch((err: unknown) => {
  console.error(`CDS service failed to start: ${(err as Error).message}`);
  process.exit(1);
});
