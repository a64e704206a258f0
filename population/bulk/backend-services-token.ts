/**
 * SMART Backend Services: an access token for system/ scopes, obtained with a JWT client
 * assertion signed by the client's private key (a JWK file; RS384 or ES384, from the key's "alg"
 * or its type), at the token endpoint named in the server's .well-known/smart-configuration.
 * Tokens are reused until a minute before they expire, then a new one is requested.
 */
import { readFile } from "node:fs/promises";
import { importJWK, SignJWT, type JWK } from "jose";
import { DEFAULT_RETRY, failFor, withRetries, type RetryPolicy } from "./retrying-fetch.ts";

export interface BackendCredentials {
  clientId: string;
  /** Path of the private JWK (JSON; a JWKS with one private key is accepted too). */
  keyFile: string;
  scope: string;
}

export type TokenSource = () => Promise<string>;

const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

async function readPrivateJwk(file: string): Promise<JWK & { alg: "RS384" | "ES384" }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: cannot read the private key (${(error as Error).message})`);
  }
  const jwk = (Array.isArray((parsed as { keys?: unknown }).keys) ? (parsed as { keys: unknown[] }).keys[0] : parsed) as JWK;
  if (typeof jwk !== "object" || jwk === null || typeof jwk.d !== "string") throw new Error(`${file}: not a private JWK (no "d")`);
  const alg: string | undefined = jwk.alg ?? (jwk.kty === "EC" ? "ES384" : jwk.kty === "RSA" ? "RS384" : undefined);
  if (alg !== "RS384" && alg !== "ES384") throw new Error(`${file}: the key must be for RS384 or ES384, got ${String(alg ?? jwk.kty)}`);
  return { ...jwk, alg };
}

export async function backendServicesToken(fhirBaseUrl: string, credentials: BackendCredentials, retry: RetryPolicy = DEFAULT_RETRY): Promise<TokenSource> {
  const jwk = await readPrivateJwk(credentials.keyFile);
  const key = await importJWK(jwk, jwk.alg);
  const configUrl = `${fhirBaseUrl.replace(/\/$/, "")}/.well-known/smart-configuration`;
  const config = await withRetries("smart-configuration", retry, async () => {
    const response = await fetch(configUrl);
    if (!response.ok) await failFor(response, configUrl);
    return (await response.json()) as { token_endpoint?: unknown };
  });
  if (typeof config.token_endpoint !== "string") throw new Error(`${configUrl} names no token_endpoint`);
  const tokenUrl = config.token_endpoint;
  let cached: { token: string; expiresAt: number } | null = null;

  return async () => {
    if (cached !== null && Date.now() < cached.expiresAt) return cached.token;
    const body = await withRetries("token", retry, async () => {
      const now = Math.floor(Date.now() / 1000);
      const assertion = await new SignJWT({})
        .setProtectedHeader({ alg: jwk.alg, typ: "JWT", ...(jwk.kid === undefined ? {} : { kid: jwk.kid }) })
        .setIssuer(credentials.clientId)
        .setSubject(credentials.clientId)
        .setAudience(tokenUrl)
        .setExpirationTime(now + 240)
        .setJti(crypto.randomUUID())
        .sign(key);
      const response = await fetch(tokenUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", client_assertion_type: ASSERTION_TYPE, client_assertion: assertion, scope: credentials.scope }),
      });
      if (!response.ok) await failFor(response, "token request");
      return (await response.json()) as { access_token?: unknown; expires_in?: unknown };
    });
    if (typeof body.access_token !== "string") throw new Error("the token endpoint returned no access_token");
    const lifetime = typeof body.expires_in === "number" ? body.expires_in : 300;
    cached = { token: body.access_token, expiresAt: Date.now() + Math.max(0, lifetime - 60) * 1000 };
    return cached.token;
  };
}
