/**
 * One EHR key set (a JWKS URL) with the cache an outage needs. jose's remote key set fetches
 * again on every token once its keys are past their lifetime, and fails every token while the
 * key server is down; an EHR's key server going down for an hour would take every card with it.
 * Here:
 * - keys are refetched after `cacheMaxAgeMs`, and on an unknown `kid` at most once per cooldown;
 * - a failed fetch is remembered: no new fetch until a backoff has passed (doubling per
 *   consecutive failure, up to a cap), so an outage costs one fetch per backoff, not one per token;
 * - meanwhile the last good keys keep verifying for `staleMaxAgeMs` past their lifetime, then
 *   tokens are refused until a fetch succeeds;
 * - each failure is logged as a JWKS failure (not as a token problem).
 * The keys themselves are matched by jose's local key set, so key selection is jose's.
 */
import { createLocalJWKSet, errors, type JWTVerifyGetKey } from "jose";
import type { Logger } from "pino";

export interface KeySetSettings {
  jwksTimeoutMs: number;
  jwksCooldownMs: number;
  jwksCacheMaxAgeMs: number;
  /** How long the last good keys stay usable past jwksCacheMaxAgeMs while fetches fail. */
  jwksStaleMaxAgeMs: number;
  /** Wait after the first failed fetch; doubled per consecutive failure up to the max. */
  jwksFailureBackoffMs: number;
  jwksFailureBackoffMaxMs: number;
}

/** No usable keys: the key server failed and the last good keys (if any) are too old. */
export class JwksUnavailable extends Error {
  constructor(readonly failure: string) {
    super(`JWKS unavailable: ${failure}`);
    this.name = "JwksUnavailable";
  }
}

/** Why a fetch failed, in words that carry no response content. */
function describeFetchFailure(err: unknown): string {
  if (err instanceof errors.JWKSInvalid) return "response is not a JSON Web Key Set";
  const name = (err as Error | undefined)?.name;
  if (name === "TimeoutError" || name === "AbortError") return "timed out";
  if (err instanceof JwksHttpError) return err.message;
  if (err instanceof SyntaxError) return "response is not JSON";
  return "unreachable";
}

class JwksHttpError extends Error {}

export function createCachedKeySet(url: string, settings: KeySetSettings, logger: Logger, now: () => number = Date.now): JWTVerifyGetKey {
  let keys: ReturnType<typeof createLocalJWKSet> | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  let failures = 0;
  let retryAt = Number.NEGATIVE_INFINITY;
  let lastFailure = "not fetched yet";
  let pending: Promise<void> | undefined;

  const fetchKeys = async (): Promise<void> => {
    lastAttemptAt = now();
    try {
      const response = await fetch(url, {
        headers: { accept: "application/json, application/jwk-set+json" },
        signal: AbortSignal.timeout(settings.jwksTimeoutMs),
        redirect: "error",
      });
      if (response.status !== 200) throw new JwksHttpError(`HTTP ${response.status}`);
      keys = createLocalJWKSet((await response.json()) as Parameters<typeof createLocalJWKSet>[0]);
      fetchedAt = now();
      failures = 0;
      retryAt = Number.NEGATIVE_INFINITY;
    } catch (err) {
      failures += 1;
      lastFailure = describeFetchFailure(err);
      const backoff = Math.min(settings.jwksFailureBackoffMaxMs, settings.jwksFailureBackoffMs * 2 ** (failures - 1));
      retryAt = now() + backoff;
      logger.warn(
        { jwksUrl: url, failure: lastFailure, consecutiveFailures: failures, nextFetchInMs: backoff, servingLastGoodKeys: usable() },
        "JWKS fetch failed",
      );
    }
  };
  /** One fetch at a time, and none while backing off after a failure. */
  const refresh = async (): Promise<void> => {
    if (now() < retryAt) return;
    pending ??= fetchKeys().finally(() => (pending = undefined));
    await pending;
  };
  const usable = (): boolean => keys !== undefined && now() < fetchedAt + settings.jwksCacheMaxAgeMs + settings.jwksStaleMaxAgeMs;

  return async (header, token) => {
    if (now() >= fetchedAt + settings.jwksCacheMaxAgeMs) await refresh();
    if (!usable()) throw new JwksUnavailable(lastFailure);
    try {
      return await keys!(header, token);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey) || now() < lastAttemptAt + settings.jwksCooldownMs) throw err;
      // An unknown kid may be a rotated key: look once per cooldown.
      await refresh();
      return keys!(header, token);
    }
  };
}
