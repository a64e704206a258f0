/** The clients the sandbox authorization server knows; registered in its options. */
import type { JSONWebKeySet } from "jose";

/** A browser app using the authorization code flow with PKCE (a public client). */
export interface AppClient {
  clientId: string;
  /** Exact redirect URIs accepted; anything else is refused without redirecting. */
  redirectUris: string[];
}

/** A SMART Backend Services client (e.g. the population export), which authenticates with a
 * JWT client assertion signed by one of these public keys. */
export interface BackendClient {
  clientId: string;
  jwks: JSONWebKeySet;
  /** May receive system/ create and update scopes (an importer of imaging results). Clients
   * without it get read-only scopes, like a real EHR registers most bulk clients. */
  mayWrite?: boolean;
}
