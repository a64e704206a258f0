/**
 * Runs the real Patella CDS service (cds-service/) in this process for the demo, configured to
 * trust this sandbox EHR's issuer and JWKS and to let its cards launch the app.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";
import { createCdsApp } from "../cds-service/app.ts";
import { parseConfig, type CdsConfig } from "../cds-service/config.ts";
import { openSqliteFeedbackStore, type SqliteFeedbackStore } from "../cds-service/feedback/sqlite-feedback-store.ts";
import { createLogger } from "../cds-service/logger.ts";
import { createModelRiskService, loadBaselineModel, loadModelPool } from "../cds-service/risk/model-risk-service.ts";
import { createLoopbackServer } from "./host-check.ts";
import { listen } from "./listen.ts";

export interface CdsRunnerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The EHR whose hook JWTs the service trusts, and the one FHIR server it may fetch from. */
  ehr: { hookIssuer: string; hookJwksUrl: string; fhirBaseUrl: string };
  /** launch.html of the SMART app, put in the cards' smart links. */
  appLaunchUrl: string;
  modelPath: string;
  /** The age/sex baseline model (the card's reference risk). */
  baselineModelPath: string;
  modelCardPath: string;
  /** SQLite file, or ":memory:" for a throwaway store. */
  feedbackDbPath: string;
  logLevel?: CdsConfig["logLevel"];
}

export interface RunningCds {
  url: string;
  feedback: SqliteFeedbackStore;
  close(): Promise<void>;
}

export async function startCdsService(options: CdsRunnerOptions): Promise<RunningCds> {
  // Listen first: the service's public URL (the JWT audience) needs the port it really got.
  let app: Express | undefined;
  // Only requests addressed to 127.0.0.1/localhost:<port> reach the service (DNS rebinding guard).
  const server: Server = createLoopbackServer((req, res) => (app ? app(req, res) : res.writeHead(503).end()));
  await listen(server, options.port, options.host, "CDS service");
  const url = `http://${options.host}:${(server.address() as AddressInfo).port}`;
  const config = parseConfig(
    {
      host: options.host,
      port: (server.address() as AddressInfo).port,
      publicBaseUrl: url,
      issuers: [
        {
          iss: options.ehr.hookIssuer,
          jwksUrl: options.ehr.hookJwksUrl,
          allowedJku: [options.ehr.hookJwksUrl],
          fhirServers: [options.ehr.fhirBaseUrl],
        },
      ],
      // The sandbox FHIR server is plain http on loopback.
      fhir: { allowHttp: true },
      // One model copy: the demo serves one clinician, and the machine runs everything else too.
      model: { path: options.modelPath, baselinePath: options.baselineModelPath, modelCardPath: options.modelCardPath, instances: 1 },
      cards: { appLaunchUrl: options.appLaunchUrl },
      feedback: { dbPath: options.feedbackDbPath },
      logLevel: options.logLevel ?? "warn",
    },
    "sandbox CDS configuration",
  );
  const models = await loadModelPool(config.model);
  const baseline = await loadBaselineModel(config.model);
  const feedback = openSqliteFeedbackStore(config.feedback.dbPath);
  app = createCdsApp(config, { logger: createLogger(config.logLevel), risk: createModelRiskService(models, baseline), feedback });
  return {
    url,
    feedback,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      feedback.close();
      await Promise.all([...models, baseline].map((m) => m.release()));
    },
  };
}
