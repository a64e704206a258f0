/**
 * SMART Backend Services client authentication: a JWT client assertion (RFC 7523) signed with
 * the client's private key, checked against the public keys registered for that client.
 */
import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import type { BackendClient } from "./clients.ts";
import type { GrantStore } from "./grant-store.ts";

export const JWT_BEARER_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** SMART Backend Services: an assertion may live at most five minutes. */
const MAX_ASSERTION_LIFETIME_S = 300;

/** Returns the authenticated client, or a reason it was refused. */
export async function authenticateClient(
  assertion: string,
  tokenUrl: string,
  clients: readonly BackendClient[],
  store: GrantStore,
): Promise<{ client: BackendClient } | { refused: string }> {
  let unverifiedIss: unknown;
  try {
    unverifiedIss = decodeJwt(assertion).iss;
  } catch {
    return { refused: "client_assertion is not a JWT" };
  }
  const client = clients.find((c) => c.clientId === unverifiedIss);
  if (!client) return { refused: "unknown client" };
  const nowMs = store.now();
  try {
    const { payload } = await jwtVerify(assertion, createLocalJWKSet(client.jwks), {
      algorithms: ["RS384", "ES384"],
      issuer: client.clientId,
      subject: client.clientId,
      audience: tokenUrl,
      requiredClaims: ["exp", "jti"],
      currentDate: new Date(nowMs),
    });
    const exp = payload.exp ?? 0;
    if (exp - nowMs / 1000 > MAX_ASSERTION_LIFETIME_S) return { refused: "client_assertion lives longer than 5 minutes" };
    if (!store.useAssertionId(`${client.clientId} ${payload.jti}`, exp * 1000)) return { refused: "client_assertion jti reused" };
    return { client };
  } catch {
    return { refused: "client_assertion signature or claims are not valid" };
  }
}
