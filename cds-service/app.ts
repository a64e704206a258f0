/**
 * createCdsApp: the CDS Hooks service as an Express 5 application, with no I/O of its own
 * beyond what `deps` provide (main.ts starts it; tests mount it on port 0).
 *
 * Order matters: cheap refusals first (headers, CORS, per-IP limit), then the EHR's JWT, then
 * the per-issuer limit, then body parsing (an unauthenticated caller never gets its body read).
 */
import cors from "cors";
import express, { type Express } from "express";
import helmet from "helmet";
import type { Logger } from "pino";
import type { CdsConfig } from "./config.ts";
import type { FeedbackStore } from "./feedback/feedback-store.ts";
import { errorHandler, notFound } from "./http/error-handler.ts";
import { jsonBody } from "./http/json-body.ts";
import { perIpLimit, perIssuerLimit } from "./http/rate-limits.ts";
import { requestLog } from "./http/request-log.ts";
import type { RiskService } from "./risk/risk-service.ts";
import { benchFloorRouter } from "./routes/bench/floor.ts";
import { discoveryRouter } from "./routes/cds-services/discovery.ts";
import { koaRiskFeedbackRouter } from "./routes/cds-services/koa-risk/feedback.ts";
import { koaRiskHookRouter } from "./routes/cds-services/koa-risk/hook.ts";
import { healthzRouter } from "./routes/healthz.ts";
import { modelCardRouter } from "./routes/model-card.ts";
import { feedbackSummaryRouter } from "./routes/operator/feedback-summary.ts";
import type { ReplayGuard } from "./security/replay-cache.ts";
import { requireEhrJwt } from "./security/require-ehr-jwt.ts";
import { createJwtVerifier } from "./security/verify-jwt.ts";

export interface CdsDeps {
  logger: Logger;
  risk: RiskService;
  feedback: FeedbackStore;
  /** Outgoing HTTP for the FHIR fetch fallback; default global fetch. */
  fetch?: typeof fetch;
  /** Clock for the index date and timestamps; default the system clock. */
  now?: () => Date;
  /** Card uuids; default crypto.randomUUID. */
  newUuid?: () => string;
  /** JWT ids already used; default an in-memory cache (sandbox, tests). The service passes a persistent one (storage/open-service-state.ts). */
  replayCache?: ReplayGuard;
  /** Clock of the JWKS caches (outage tests move it); default Date.now. */
  keyClock?: () => number;
}

export function createCdsApp(config: CdsConfig, deps: CdsDeps): Express {
  const { logger } = deps;
  const now = deps.now ?? (() => new Date());
  if (config.allowUnsignedLoopback) {
    logger.warn("allowUnsignedLoopback is ON: unsigned calls from loopback are accepted. Never use this in production.");
  }
  for (const issuer of config.issuers) {
    if (!issuer.fhirServers) {
      const reached = config.fhir.allowHttp ? "any https or plain http fhirServer (fhir.allowHttp is on)" : "any https fhirServer";
      logger.warn({ iss: issuer.iss }, `issuer has no fhirServers allow-list: the fetch fallback will call ${reached} it names`);
    }
  }
  const app = express();
  app.disable("x-powered-by");
  // Per-IP rate limits need the client address; behind a proxy, trust exactly its hops.
  app.set("trust proxy", config.trustProxyHops);
  app.use(helmet());
  app.use(
    cors({
      origin: config.corsOrigins === "*" ? "*" : config.corsOrigins,
      methods: ["GET", "POST", "OPTIONS"],
      // Browser EHRs send more than these two (Accept, Accept-Language, X-Requested-With, ...):
      // the request's own list is allowed back. Tokens travel in a header, never cookies
      // (no credentials mode), so allowing a header grants a page nothing a plain client lacks.
      allowedHeaders: undefined,
      // 401 and 429/503 answers say what to do next in these; a browser hides them unless exposed.
      exposedHeaders: ["WWW-Authenticate", "Retry-After", "RateLimit", "RateLimit-Policy"],
      maxAge: 600,
    }),
  );
  app.use(requestLog(logger));

  app.use("/healthz", healthzRouter(deps.risk));
  app.use("/model-card", modelCardRouter(config.model.modelCardPath));
  if (config.feedback.operatorToken) {
    app.use("/operator/feedback-summary", feedbackSummaryRouter(deps.feedback, config.feedback.operatorToken));
  }
  if (config.benchFloorEndpoint) app.use("/bench/floor", ...jsonBody(config.limits.bodyLimit), benchFloorRouter());

  const cdsServices = express.Router();
  cdsServices.use(
    perIpLimit(config.limits),
    requireEhrJwt({
      verify: createJwtVerifier(config.issuers, config.jwt, deps.replayCache, { logger, ...(deps.keyClock ? { now: deps.keyClock } : {}) }),
      publicBaseUrl: config.publicBaseUrl,
      allowUnsignedLoopback: config.allowUnsignedLoopback,
      corsOrigins: config.corsOrigins,
      logger,
    }),
    perIssuerLimit(config.limits),
    ...jsonBody(config.limits.bodyLimit),
  );
  cdsServices.use("/", discoveryRouter());
  cdsServices.use(
    "/koa-risk/feedback",
    koaRiskFeedbackRouter(deps.feedback, now),
  );
  cdsServices.use(
    "/koa-risk",
    koaRiskHookRouter({
      config,
      modelCardUrl: config.model.modelCardUrl ?? `${config.publicBaseUrl}/model-card`,
      risk: deps.risk,
      issuedCards: deps.feedback,
      logger,
      now,
      newUuid: deps.newUuid ?? (() => crypto.randomUUID()),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    }),
  );
  app.use("/cds-services", cdsServices);

  app.use(notFound());
  app.use(errorHandler(logger));
  return app;
}
