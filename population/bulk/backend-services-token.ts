/**
 * SMART Backend Services: an access token for system/ scopes, obtained with a JWT client
 * assertion signed by the client's private key (a JWK file; RS384 or ES384, from the key's "alg"
 * or its type), at the token endpoint named in the server's .well-known/smart-configuration.
 * Tokens are reused until a minute before they expire (half their lifetime for short ones),
 * counted from when each was asked for, then a new one is requested; and at once when the server
 * refuses the one reused (fetchWithToken, which sends it to the FHIR server's origin only). No
 * token, assertion or key is put in an error message. A key file its group or other users may
 * read is warned of (keyFileWarning). Each request is bounded in time (request-timeouts.ts).
 */
import { readFile, stat } from "node:fs/promises";
import { importJWK, SignJWT, type JWK } from "jose";
import { DEFAULT_RETRY, failFor, HttpError, jsonOf, withRetries, type RetryPolicy } from "./retrying-fetch.ts";
import { assertFhirOrigin, httpUrl } from "./export-manifest.ts";
import { isTlsOrLoopback } from "../../shared/fhir-server-url.ts";
import { parseSmartScope } from "../../shared/smart-scope.ts";
import { parseJson } from "./parse-json.ts";
import type { RequestClock } from "./request-timeouts.ts";
import { scopesNotGranted } from "./smart-scopes.ts";

export interface BackendCredentials {
  clientId: string;
  /** Path of the private JWK (JSON; a JWKS with one private key is accepted too). */
  keyFile: string;
  scope: string;
  /** Fail when the server grants less than `scope` (RFC 6749 lets it): for an export, whose
   * server would leave the types not granted out without a word. */
  requireEveryScope?: boolean;
  /** Told of a key file others may read (keyFileWarning); default a `warning:` line on stderr. */
  warn?: (text: string) => void;
}

/** The access token; `renew` asks for a new one (the server refused the one reused: 401). */
export type TokenSource = (renew?: boolean) => Promise<string>;

const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/**
 * What to say of a key file whose mode lets its group or other users read it (POSIX; null when
 * it does not, or on Windows, whose modes do not say). Warned, not refused: a key in a folder only
 * its owner can enter is safe all the same, and refusing it would stop a nightly run that works.
 */
export function keyFileWarning(file: string, mode: number, platform: NodeJS.Platform = process.platform): string | null {
  if (platform === "win32") return null;
  const readers = [...(mode & 0o040 ? ["its group"] : []), ...(mode & 0o004 ? ["other users"] : [])];
  if (readers.length === 0) return null;
  const octal = (mode & 0o777).toString(8).padStart(4, "0");
  return `${file}, the private key, is readable by ${readers.join(" and ")} (mode ${octal}): whoever reads it can get this client's tokens; chmod 600 ${file}`;
}

const warnOnStderr = (text: string) => void process.stderr.write(`warning: ${text}\n`);

async function readPrivateJwk(file: string, warn: (text: string) => void): Promise<JWK & { alg: "RS384" | "ES384" }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new Error(`${file}: cannot read the private key (${(error as Error).message})`);
  }
  // Read, so it exists: a stat that fails now (the file replaced since) only skips the warning.
  const warning = keyFileWarning(file, await stat(file).then(({ mode }) => mode, () => 0));
  if (warning !== null) warn(warning);
  const parsed = parseJson(text, `${file}: the private key (a JWK file)`);
  const jwk = (Array.isArray((parsed as { keys?: unknown }).keys) ? (parsed as { keys: unknown[] }).keys[0] : parsed) as JWK;
  if (typeof jwk !== "object" || jwk === null || typeof jwk.d !== "string") throw new Error(`${file}: not a private JWK (no "d")`);
  const alg: string | undefined = jwk.alg ?? (jwk.kty === "EC" ? "ES384" : jwk.kty === "RSA" ? "RS384" : undefined);
  if (alg !== "RS384" && alg !== "ES384") throw new Error(`${file}: the key must be for RS384 or ES384, got ${String(alg ?? jwk.kty)}`);
  return { ...jwk, alg };
}

/**
 * The lifetime taken for a token whose response has no `expires_in` (or not a number). SMART App
 * Launch 2.x, Backend Services, "Issue Access Token": `expires_in` is required, tokens "SHALL be
 * short-lived" and `expires_in` "SHOULD NOT exceed 300"; so 300 s is the longest a conformant
 * server's token lives, and assuming it reuses the token no longer than the profile allows. A
 * server that issued a shorter one without saying so is still served: a request it refuses (401)
 * gets a new token at once (fetchWithToken). Refusing the answer would end a run that works, and
 * a new token for each request (thousands of files) would hammer the token endpoint.
 */
const LONGEST_LIFETIME_S = 300;

/** RFC 6750's b64token, the only characters a Bearer credential may have. Anything else (a
 * newline, a non-Latin-1 character) makes fetch refuse the header with a message that quotes it,
 * token included, into the run's error and log. */
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The token source for `fhirBaseUrl`. `now` is the clock (a test's); a token's lifetime counts
 * from when its request was sent, not from when the answer came: the server may have stamped it
 * at once and the answer taken long (a slow or distant token endpoint), and the token must not
 * be reused past what the server allows.
 */
export async function backendServicesToken(
  fhirBaseUrl: string,
  credentials: BackendCredentials,
  retry: RetryPolicy = DEFAULT_RETRY,
  now: () => number = Date.now,
): Promise<TokenSource> {
  // The client assertion, a system/ token and the patients' data cross the wire: TLS, or this
  // machine (shared/fhir-server-url.ts, the rule the service and the app use too).
  if (!isTlsOrLoopback(fhirBaseUrl)) throw new Error(`${fhirBaseUrl} is not an https URL (plain http only on loopback): the token would be sent in the clear`);
  const jwk = await readPrivateJwk(credentials.keyFile, credentials.warn ?? warnOnStderr);
  const key = await importJWK(jwk, jwk.alg);
  const configUrl = `${fhirBaseUrl.replace(/\/$/, "")}/.well-known/smart-configuration`;
  const config = await withRetries("smart-configuration", retry, async (signal) => {
    const response = await fetch(configUrl, { signal });
    if (!response.ok) await failFor(response, configUrl);
    return (await jsonOf(response, configUrl)) as { token_endpoint?: unknown } | null;
  });
  if (typeof config?.token_endpoint !== "string") throw new Error(`${configUrl} names no token_endpoint`);
  const tokenUrl = config.token_endpoint;
  if (!isTlsOrLoopback(new URL(tokenUrl, configUrl).href)) {
    throw new Error(`${configUrl} names a token_endpoint that is not https: the client assertion and the token are not sent in the clear`);
  }
  let cached: { token: string; expiresAt: number } | null = null;

  let pending: Promise<string> | null = null;
  const renewToken = async (): Promise<string> => {
    const { body, sentAt } = await tokenResponse(tokenUrl, () => signedAssertion(jwk, key, credentials.clientId, tokenUrl), credentials, retry, now);
    if (typeof body?.access_token !== "string") throw new Error("the token endpoint returned no access_token");
    // Never quoted: these messages go to stderr and logs.
    if (!BEARER_TOKEN.test(body.access_token)) throw new Error("the token endpoint returned an access_token that is not a bearer token (RFC 6750 syntax)");
    if (body.token_type !== undefined && (typeof body.token_type !== "string" || body.token_type.toLowerCase() !== "bearer")) {
      throw new Error("the token endpoint returned a token_type other than bearer");
    }
    // No scope in the answer: the one asked for was granted (RFC 6749, 5.1).
    const missing = credentials.requireEveryScope === true && typeof body.scope === "string" ? scopesNotGranted(credentials.scope, body.scope) : [];
    if (missing.length > 0) throw new Error(`the token endpoint did not grant ${missing.join(" ")} (granted: ${body.scope}): ${whyEveryScope(missing)}`);
    const lifetime = typeof body.expires_in === "number" ? body.expires_in : LONGEST_LIFETIME_S;
    // A minute's margin, or half the lifetime of a short one: a token of 60 s or less would
    // otherwise be requested anew for every request of the export (thousands of files).
    const reusedFor = Math.max(0, lifetime - Math.min(60, lifetime / 2));
    cached = { token: body.access_token, expiresAt: sentAt + reusedFor * 1000 };
    return cached.token;
  };
  return async (renew = false) => {
    if (!renew && cached !== null && now() < cached.expiresAt) return cached.token;
    // One token request at a time: the download lanes that find the token expired (or refused)
    // together share the next one, rather than each asking the token endpoint.
    pending ??= renewToken().finally(() => {
      pending = null;
    });
    return pending;
  };
}

/**
 * Why a scope not granted stops the run, by what it permits: a read scope's types the export
 * would leave out without a word; a write scope (system/Group.cu, asked for with --post-group)
 * exports nothing, but the Group's PUT would be refused only at the end of the run.
 */
function whyEveryScope(missing: readonly string[]): string {
  const writes = missing.flatMap((text) => {
    const scope = parseSmartScope(text);
    return scope !== null && !/[rs]/.test(scope.permissions) ? [scope.type] : [];
  });
  const reasons = [
    ...(writes.length < missing.length ? ["the export would leave those resources out without a word"] : []),
    ...(writes.length > 0 ? [`the client may not write ${writes.join(", ")} resources, so --post-group could not PUT the Groups of the high-risk and imaging lists once the export and the scoring are done`] : []),
  ];
  return reasons.join("; ");
}

/** The client assertion: iss = sub = client id, aud = token endpoint, 4 minutes, random jti. */
async function signedAssertion(jwk: JWK & { alg: string }, key: Awaited<ReturnType<typeof importJWK>>, clientId: string, tokenUrl: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: jwk.alg, typ: "JWT", ...(jwk.kid === undefined ? {} : { kid: jwk.kid }) })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(tokenUrl)
    .setExpirationTime(Math.floor(Date.now() / 1000) + 240)
    .setJti(crypto.randomUUID())
    .sign(key);
}

/**
 * What a client refused by the token endpoint needs to hear: RFC 6749 (5.2) answers 401
 * `invalid_client` (some servers 400) when client authentication failed, and for a SMART Backend
 * Services client that is mostly a client id the server does not know, or one registered with
 * another public key. The message used to stop at "unknown client".
 */
const clientNotAccepted = (clientId: string) =>
  `The authorization server does not accept client ${clientId}: register it there with the public key (a JWKS) of the private key given with --key ` +
  '(npm run backend-client-keys makes the pair; population/README.md, "A Backend Services client", says how for npm start\'s sandbox)';

/** The token endpoint's answer, and when the try that got it was sent; each try with a new
 * assertion (a server refuses a jti seen before). */
async function tokenResponse(tokenUrl: string, assertion: () => Promise<string>, credentials: BackendCredentials, retry: RetryPolicy, now: () => number) {
  return withRetries("token", retry, async (signal) => {
    const signed = await assertion();
    const sentAt = now();
    const response = await fetch(tokenUrl, {
      signal,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_assertion_type: ASSERTION_TYPE, client_assertion: signed, scope: credentials.scope }),
    });
    if (!response.ok) {
      await failFor(response, "token request").catch((error: unknown) => {
        const refusedClient = error instanceof HttpError && (error.status === 401 || /^token request: HTTP 400 invalid_client\b/.test(error.message));
        throw refusedClient ? new HttpError(error.status, `${error.message}. ${clientNotAccepted(credentials.clientId)}`) : error;
      });
    }
    const body = (await jsonOf(response, "token request")) as { access_token?: unknown; token_type?: unknown; expires_in?: unknown; scope?: unknown } | null;
    return { body, sentAt };
  });
}

/**
 * The access token could not be had for a request: the token source's error, whose message it
 * keeps (`cause`: the error itself). Not the FHIR server's fault, and not one to retry: the
 * token's own request made its tries, within its own time limit (backendServicesToken's
 * withRetries), so the request that wanted it ends at once with it (retrying-fetch.ts answerOf
 * throws it again), as a refused client (401 invalid_client) must, and a token endpoint that does
 * not answer is not reported as a FHIR server that does not, nor asked again for every retry.
 */
export class TokenFailed extends Error {
  override name = "TokenFailed";
  constructor(failure: unknown) {
    super(failure instanceof Error ? failure.message : String(failure), { cause: failure });
  }
}

/**
 * fetch with the bearer token, to the FHIR server's origin only: `url` on any other origin
 * (another host or port, or plain http where the server is https) is refused here, before the
 * token is asked for, whatever the caller checked before (export-manifest.ts checks the URLs a
 * server names; this is the last line, for a caller that forgets). A redirect to another origin
 * is followed without the token (fetch drops Authorization there). A 401 is tried once more with
 * a new token: the one reused may have been revoked, or have expired early by the server's
 * clock, hours into a long export. A token that cannot be had throws TokenFailed.
 *
 * `clock` (request-timeouts.ts), when given, is the request's time limit: its signal is given to
 * fetch, and it is stopped while the token is asked for and started once it is in hand, so the
 * limit times the FHIR server only.
 */
export async function fetchWithToken(
  url: string,
  init: RequestInit & { headers?: Record<string, string> },
  token: TokenSource,
  fhirOrigin: string,
  clock?: Pick<RequestClock, "signal" | "start" | "stop">,
): Promise<Response> {
  const target = httpUrl(url, fhirOrigin);
  if (target === null) throw new Error("a request with the access token: the URL is not an http(s) URL");
  assertFhirOrigin(target, new URL(fhirOrigin).origin, "a request with the access token");
  const send = async (renew: boolean) => {
    clock?.stop();
    let bearer: string;
    try {
      bearer = await token(renew);
    } catch (error) {
      throw new TokenFailed(error);
    }
    clock?.start();
    return fetch(target, { ...init, ...(clock === undefined ? {} : { signal: clock.signal }), headers: { ...init.headers, authorization: `Bearer ${bearer}` } });
  };
  const response = await send(false);
  if (response.status !== 401) return response;
  await response.body?.cancel();
  return send(true);
}
