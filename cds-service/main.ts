/**
 * `npm run serve`: the CDS Hooks service for production. Configuration comes from
 * PATELLA_CDS_CONFIG (a JSON file) and environment variables (cds-service/README.md).
 * This file runs twice: as the cluster primary, which supervises `workers` service processes
 * (cluster-primary.ts), and as each of them (run-worker.ts).
 */
import cluster from "node:cluster";
import { runPrimary } from "./cluster-primary.ts";
import { type CdsConfig, loadConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
import { runWorker } from "./run-worker.ts";

let config: CdsConfig;
try {
  config = loadConfig();
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
const logger = createLogger(config.logLevel);

if (cluster.isPrimary) {
  if (config.issuers.length === 0 && !config.allowUnsignedLoopback) {
    logger.warn("no issuers configured: every EHR call will be refused (set PATELLA_CDS_ISSUERS or issuers in the config file)");
  }
  runPrimary(config, logger);
} else {
  runWorker(config, logger.child({ worker: cluster.worker?.id })).catch((err: unknown) => {
    console.error(`CDS service worker failed to start: ${(err as Error).message}`);
    process.exit(1);
  });
}
