/**
 * Verifies the JWT an EHR sends with every CDS Hooks call (cds-hooks.hl7.org/2.0, "Trusting
 * CDS Clients"): allow-listed issuers, keys from each issuer's JWKS (or an allowed `jku`),
 * ES384/RS384 only, `aud` equal to the URL called, time claims with a small skew, no replayed
 * `jti`. Failures carry a reason for the log; the caller only ever sees a bare 401.
 */
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { Logger } from "pino";
import type { CdsConfig, IssuerConfig } from "../config.ts";
import { createCachedKeySet, JwksUnavailable } from "./cached-key-set.ts";
import { ReplayCache, type ReplayGuard } from "./replay-cache.ts";

export const ALLOWED_ALGORITHMS = ["ES384", "RS384"];

export class JwtRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "JwtRejected";
  }
}

export interface VerifiedCaller {
  issuer: IssuerConfig;
}

/** Resolves the `aud` a token must carry for one issuer (EHRs differ: see EhrQuirks). */
export type AudienceFor = (issuer: IssuerConfig) => string;

export type JwtVerifier = (token: string, audienceFor: AudienceFor) => Promise<VerifiedCaller>;

export interface KeySetOptions {
  /** Receives JWKS fetch failures. */
  logger: Logger;
  /** Clock of the key caches (tests of outages move it); default Date.now. */
  now?: () => number;
}

/**
 * `replay` defaults to an in-memory cache sized by the settings; worker processes that share a
 * port pass one shared cache (sqlite-replay-cache.ts) so a token is accepted by one of them only.
 */
export function createJwtVerifier(
  issuers: readonly IssuerConfig[],
  settings: CdsConfig["jwt"],
  replay: ReplayGuard | undefined,
  keyOptions: KeySetOptions,
): JwtVerifier {
  const byIss = new Map(issuers.map((i) => [i.iss, i]));
  // One key set per URL (an issuer's jwksUrl, each allowed jku), each with its own outage state.
  const keySets = new Map<string, JWTVerifyGetKey>();
  const keySetFor = (url: string): JWTVerifyGetKey => {
    let set = keySets.get(url);
    if (!set) {
      set = createCachedKeySet(url, settings, keyOptions.logger, keyOptions.now);
      keySets.set(url, set);
    }
    return set;
  };
  const seen = replay ?? new ReplayCache(settings.replayCacheSize, replaySpanMs(settings));

  return async (token, audienceFor) => {
    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: ReturnType<typeof decodeJwt>;
    try {
      header = decodeProtectedHeader(token);
      claims = decodeJwt(token);
    } catch {
      throw new JwtRejected("malformed token");
    }
    if (typeof header.alg !== "string" || !ALLOWED_ALGORITHMS.includes(header.alg)) {
      throw new JwtRejected(`algorithm not allowed: ${String(header.alg)}`);
    }
    const issuer = typeof claims.iss === "string" ? byIss.get(claims.iss) : undefined;
    if (!issuer) throw new JwtRejected("unknown issuer");
    // An unlisted jku is ignored, never fetched: the issuer's own jwksUrl decides. (EHRs such as
    // the CDS Hooks sandbox always send their jku; refusing it would refuse them.)
    const keySetUrl = header.jku !== undefined && issuer.allowedJku.includes(header.jku) ? header.jku : issuer.jwksUrl;
    const audience = audienceFor(issuer);
    try {
      await jwtVerify(token, keySetFor(keySetUrl), {
        issuer: issuer.iss,
        // The URL the EHR called, with or without one trailing slash; nothing looser.
        audience: [audience, `${audience}/`],
        algorithms: ALLOWED_ALGORITHMS,
        clockTolerance: settings.clockSkewSeconds,
        maxTokenAge: settings.maxTokenAgeSeconds,
        requiredClaims: ["iss", "aud", "exp", "iat", "jti"],
      });
    } catch (err) {
      throw new JwtRejected(describeJoseError(err));
    }
    // A store that cannot answer rejects here (StorageUnavailable): the call fails closed.
    if (typeof claims.jti !== "string" || !(await seen.remember(`${issuer.iss}\n${claims.jti}`))) {
      throw new JwtRejected("replayed or invalid jti");
    }
    return { issuer };
  };
}

/** How long a jti must be remembered: the longest time any accepted token stays acceptable. */
export function replaySpanMs(settings: CdsConfig["jwt"]): number {
  return (settings.maxTokenAgeSeconds + 2 * settings.clockSkewSeconds) * 1000;
}

function describeJoseError(err: unknown): string {
  if (err instanceof JwksUnavailable) return err.message;
  if (err instanceof errors.JWTExpired) return "token expired";
  if (err instanceof errors.JWTClaimValidationFailed) return `claim ${err.claim} ${err.reason}`;
  if (err instanceof errors.JOSEError) return err.code;
  return "verification failed";
}
