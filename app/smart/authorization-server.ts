/**
 * The authorization server a launch is about to send the browser to, checked as the FHIR server
 * is (shared/fhir-server-url.ts, isTlsOrLoopback): the listed FHIR server's
 * `.well-known/smart-configuration` names its authorize and token endpoints, and the token
 * endpoint receives the code and the PKCE verifier and answers with the access token. A server
 * listed over https whose configuration names a plain-http endpoint on another machine would send
 * those in the clear; the launch stops instead, naming only the endpoint's origin.
 */
import { isTlsOrLoopback } from "../../shared/fhir-server-url.ts";

/** What fhirclient stored for the launch (under its state key) of the two endpoints. */
export interface DiscoveredEndpoints {
  authorizeUri?: unknown;
  tokenUri?: unknown;
}

/** Why the launch must not go on to these endpoints, or undefined when it may. */
export function insecureAuthorizationServer(endpoints: DiscoveredEndpoints): string | undefined {
  for (const [name, uri] of [
    ["authorization endpoint", endpoints.authorizeUri],
    ["token endpoint", endpoints.tokenUri],
  ] as const) {
    if (uri === undefined) continue;
    if (typeof uri !== "string" || !isTlsOrLoopback(uri)) {
      const origin = typeof uri === "string" && URL.canParse(uri) ? new URL(uri).origin : "an address that is not a URL";
      return `the FHIR server's SMART configuration names a ${name} not over https (${origin})`;
    }
  }
  return undefined;
}
