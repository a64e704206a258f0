/**
 * Express middleware: every CDS Hooks call must carry the EHR's JWT. The only exception is the
 * explicit development setting allowUnsignedLoopback, which admits unsigned calls from
 * loopback addresses and logs a warning on each one.
 */
import type { Request, RequestHandler } from "express";
import type { Logger } from "pino";
import type { IssuerConfig } from "../config.ts";
import { HttpError } from "../http/operation-outcome.ts";
import { StorageUnavailable } from "../storage/storage-unavailable.ts";
import { JwtRejected, type JwtVerifier } from "./verify-jwt.ts";

export interface RequireEhrJwtOptions {
  verify: JwtVerifier;
  /** Service base URL as the EHR sees it (config publicBaseUrl, no trailing slash). */
  publicBaseUrl: string;
  allowUnsignedLoopback: boolean;
  /** CORS origins (config): the only browser pages whose unsigned loopback calls are admitted. */
  corsOrigins: "*" | readonly string[];
  logger: Logger;
}

/** Stands in for an issuer on unsigned development calls. */
export const UNSIGNED_DEV_ISSUER: IssuerConfig = {
  iss: "unsigned-loopback-dev",
  jwksUrl: "http://127.0.0.1/unused",
  allowedJku: [],
  quirks: { appContextInLaunchUrl: false, audience: "endpoint" },
};

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
/** Set by reverse proxies: a call carrying one was relayed for another client. */
const FORWARDING_HEADERS = ["forwarded", "x-forwarded-for", "x-real-ip"];

/**
 * A call made on this machine itself. A reverse proxy on loopback makes every remote call look
 * local, so a call that says it was forwarded does not count, whatever its socket address.
 */
function isDirectLoopback(req: Request): boolean {
  return LOOPBACK.has(req.socket.remoteAddress ?? "") && !FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined);
}

/**
 * Whether a loopback call comes from a web page that may make unsigned calls. Any page open in a
 * browser on this machine can reach loopback; the browser names its origin, so a call with an
 * Origin must name one listed in corsOrigins ("*" lists none). Calls without one are not from
 * a page (curl, the sandbox EHR's server side).
 */
function isAllowedOrigin(req: Request, corsOrigins: "*" | readonly string[]): boolean {
  const origin = req.get("origin");
  return origin === undefined || (corsOrigins !== "*" && corsOrigins.includes(origin));
}

/** The verified issuer of the current call, set by requireEhrJwt. */
export function callerIssuer(locals: Record<string, unknown>): IssuerConfig {
  const issuer = locals.issuer as IssuerConfig | undefined;
  if (!issuer) throw new Error("requireEhrJwt must run before this handler");
  return issuer;
}

export function requireEhrJwt(options: RequireEhrJwtOptions): RequestHandler {
  const { verify, publicBaseUrl, allowUnsignedLoopback, corsOrigins, logger } = options;
  return async (req, res, next) => {
    const header = req.get("authorization");
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) {
      if (allowUnsignedLoopback && isDirectLoopback(req) && isAllowedOrigin(req, corsOrigins)) {
        logger.warn({ path: req.originalUrl.split("?")[0] }, "UNSIGNED CALL ACCEPTED (allowUnsignedLoopback is on: development only)");
        res.locals.issuer = UNSIGNED_DEV_ISSUER;
        return next();
      }
      logger.info({ reason: "no bearer token" }, "authentication failed");
      return next(new HttpError(401, "login", "Unauthorized"));
    }
    // The audience is the exact endpoint URL (trailing slash ignored), or the base URL for
    // EHRs configured with the "base-url" audience quirk.
    const endpointUrl = publicBaseUrl + (req.baseUrl + req.path).replace(/\/+$/, "");
    try {
      const caller = await verify(match[1], (issuer) =>
        issuer.quirks.audience === "base-url" ? publicBaseUrl : endpointUrl,
      );
      res.locals.issuer = caller.issuer;
      next();
    } catch (err) {
      // The replay check could not run: an error answer (503), not a 401 that blames the token.
      if (err instanceof StorageUnavailable) return next(err);
      const reason = err instanceof JwtRejected ? err.reason : "verifier error";
      logger.info({ reason }, "authentication failed");
      // RFC 6750, section 3.1: a request that presented a token which failed gets the error
      // code (without a description: the reason is the log's, never the caller's).
      res.set("WWW-Authenticate", 'Bearer realm="cds-services", error="invalid_token"');
      next(new HttpError(401, "login", "Unauthorized"));
    }
  };
}
