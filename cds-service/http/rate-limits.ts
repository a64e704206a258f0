/**
 * Rate limits: per client IP before authentication (so floods of bad tokens cost little) and
 * per verified issuer after it (one busy EHR cannot starve the others). 429 answers carry an
 * OperationOutcome like every other error.
 */
import type { RequestHandler } from "express";
import { ipKeyGenerator, rateLimit, type Options } from "express-rate-limit";
import type { CdsConfig } from "../config.ts";
import { callerIssuer } from "../security/require-ehr-jwt.ts";
import { sendOutcome } from "./error-handler.ts";

function limiter(limits: CdsConfig["limits"], max: number, key: Options["keyGenerator"]): RequestHandler {
  return rateLimit({
    windowMs: limits.rateWindowMs,
    limit: max,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: key,
    handler: (_req, res) => sendOutcome(res, 429, "throttled", "Too many requests"),
  });
}

/** Before authentication: generous, per IP (an EHR's calls may all come from one address). */
export function perIpLimit(limits: CdsConfig["limits"]): RequestHandler {
  return limiter(limits, limits.rateLimitPerWindow * 2, (req) => ipKeyGenerator(req.ip ?? "unknown"));
}

/** After authentication: per issuer. */
export function perIssuerLimit(limits: CdsConfig["limits"]): RequestHandler {
  return limiter(limits, limits.rateLimitPerWindow, (_req, res) => `iss:${callerIssuer(res.locals).iss}`);
}
