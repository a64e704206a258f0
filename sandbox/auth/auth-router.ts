/**
 * The sandbox SMART authorization server, mounted by the sandbox under /auth. It exists for
 * demos and tests only: it approves every request without a login.
 */
import cors from "cors";
import express, { type Router } from "express";
import { authorizeHandler, type AuthorizeOptions } from "./authorize-route.ts";
import type { BackendClient } from "./clients.ts";
import type { TokenSigner } from "./access-token.ts";
import { SMART_STYLE_PATH, smartStyleHandlers } from "./smart-style.ts";
import { tokenHandler } from "./token-route.ts";

export interface AuthRouterOptions extends AuthorizeOptions {
  /** Absolute URL of the token endpoint (the `aud` of client assertions). */
  tokenUrl: string;
  /** Absolute URL of the style file (smart-style.ts), sent to apps as smart_style_url. */
  smartStyleUrl: string;
  signer: TokenSigner;
  backendClients: readonly BackendClient[];
  accessTokenTtlSeconds?: number;
}

export function createAuthRouter(options: AuthRouterOptions): Router {
  const router = express.Router();
  router.get("/authorize", authorizeHandler(options));
  // Browser apps call the token endpoint with fetch; tokens travel in the body, not cookies.
  router.options("/token", cors());
  router.post("/token", cors(), express.urlencoded({ extended: false, limit: "20kb" }), tokenHandler(options));
  router.get(SMART_STYLE_PATH, ...smartStyleHandlers);
  return router;
}
