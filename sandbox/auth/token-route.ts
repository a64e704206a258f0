/**
 * POST /token: authorization code (with PKCE), refresh token, and client credentials (SMART
 * Backend Services) grants. Errors follow RFC 6749 section 5.2.
 */
import type { Request, Response } from "express";
import { issueAccessToken, type TokenSigner } from "./access-token.ts";
import { authenticateClient, JWT_BEARER_ASSERTION } from "./client-assertion.ts";
import type { BackendClient } from "./clients.ts";
import type { Grant, GrantStore } from "./grant-store.ts";
import { verifyPkce } from "./pkce.ts";
import { grantSystemScopes, splitScopes } from "./scopes.ts";

export interface TokenOptions {
  tokenUrl: string;
  /** Sent as smart_style_url with user (app launch) grants. */
  smartStyleUrl: string;
  store: GrantStore;
  signer: TokenSigner;
  backendClients: readonly BackendClient[];
  /** Lifetime of access tokens; default one hour. */
  accessTokenTtlSeconds?: number;
}

/** Backend Services tokens are short-lived: the client can always mint a new assertion. */
const BACKEND_TOKEN_TTL_SECONDS = 300;

type Body = Record<string, string | undefined>;

function oauthError(res: Response, status: number, error: string, description: string): void {
  res.status(status).json({ error, error_description: description });
}

function wantsRefresh(scopes: readonly string[]): boolean {
  return scopes.includes("offline_access") || scopes.includes("online_access");
}

async function grantResponse(res: Response, grant: Grant, options: TokenOptions): Promise<void> {
  const ttl = options.accessTokenTtlSeconds ?? 3600;
  const accessToken = await issueAccessToken(
    options.signer,
    { clientId: grant.clientId, scopes: grant.scopes, ...(grant.patient !== undefined && { patient: grant.patient }) },
    ttl,
  );
  res.json({
    access_token: accessToken,
    token_type: "Bearer",
    expires_in: ttl,
    scope: grant.scopes.join(" "),
    ...(grant.patient !== undefined && { patient: grant.patient }),
    need_patient_banner: grant.needPatientBanner,
    smart_style_url: options.smartStyleUrl,
    ...(grant.appContext !== undefined && { appContext: grant.appContext }),
    ...(wantsRefresh(grant.scopes) && { refresh_token: options.store.refreshTokens.put(grant) }),
  });
}

async function authorizationCode(body: Body, res: Response, options: TokenOptions): Promise<void> {
  const pending = body.code === undefined ? undefined : options.store.codes.take(body.code);
  if (!pending) return oauthError(res, 400, "invalid_grant", "unknown, expired or already used code");
  if (body.client_id !== pending.clientId) return oauthError(res, 400, "invalid_grant", "code was issued to another client");
  if (body.redirect_uri !== pending.redirectUri) return oauthError(res, 400, "invalid_grant", "redirect_uri differs from the authorize request");
  if (!verifyPkce(body.code_verifier, pending.codeChallenge)) return oauthError(res, 400, "invalid_grant", "code_verifier does not match");
  const { redirectUri: _r, codeChallenge: _c, ...grant } = pending;
  return grantResponse(res, grant, options);
}

async function refreshToken(body: Body, res: Response, options: TokenOptions): Promise<void> {
  // Rotation: the old refresh token is spent whether or not the new request succeeds.
  const grant = body.refresh_token === undefined ? undefined : options.store.refreshTokens.take(body.refresh_token);
  if (!grant) return oauthError(res, 400, "invalid_grant", "unknown or expired refresh_token");
  if (body.client_id !== undefined && body.client_id !== grant.clientId)
    return oauthError(res, 400, "invalid_grant", "refresh_token was issued to another client");
  const asked = body.scope === undefined ? grant.scopes : splitScopes(body.scope);
  if (asked.some((s) => !grant.scopes.includes(s))) return oauthError(res, 400, "invalid_scope", "scope wider than the original grant");
  return grantResponse(res, { ...grant, scopes: asked }, options);
}

async function clientCredentials(body: Body, res: Response, options: TokenOptions): Promise<void> {
  if (body.client_assertion_type !== JWT_BEARER_ASSERTION || body.client_assertion === undefined)
    return oauthError(res, 401, "invalid_client", "a JWT client_assertion is required");
  const auth = await authenticateClient(body.client_assertion, options.tokenUrl, options.backendClients, options.store);
  if ("refused" in auth) return oauthError(res, 401, "invalid_client", auth.refused);
  const scopes = grantSystemScopes(body.scope ?? "", auth.client.mayWrite === true);
  if (scopes.length === 0)
    return oauthError(res, 400, "invalid_scope", auth.client.mayWrite === true ? "ask for system/ scopes (c, r, u, s)" : "ask for read-only system/ scopes");
  const ttl = BACKEND_TOKEN_TTL_SECONDS;
  const accessToken = await issueAccessToken(options.signer, { clientId: auth.client.clientId, scopes }, ttl);
  res.json({ access_token: accessToken, token_type: "Bearer", expires_in: ttl, scope: scopes.join(" ") });
}

export function tokenHandler(options: TokenOptions) {
  return async (req: Request, res: Response): Promise<void> => {
    res.set({ "Cache-Control": "no-store", Pragma: "no-cache" });
    const raw: unknown = req.body;
    if (!req.is("application/x-www-form-urlencoded") || typeof raw !== "object" || raw === null)
      return oauthError(res, 400, "invalid_request", "send application/x-www-form-urlencoded");
    const body: Body = {};
    for (const [key, value] of Object.entries(raw)) if (typeof value === "string") body[key] = value;
    switch (body.grant_type) {
      case "authorization_code":
        return authorizationCode(body, res, options);
      case "refresh_token":
        return refreshToken(body, res, options);
      case "client_credentials":
        return clientCredentials(body, res, options);
      default:
        return oauthError(res, 400, "unsupported_grant_type", "grant_type must be authorization_code, refresh_token or client_credentials");
    }
  };
}
