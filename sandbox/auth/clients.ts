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
}
