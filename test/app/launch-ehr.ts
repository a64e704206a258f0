/**
 * The EHR a launch.html test launches from (msw): the site's patella-app.json on the app's origin
 * and the FHIR server's SMART configuration, with every request's origin and path recorded (what
 * left the page). A test module calls `useLaunchEhr()` at its top level.
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";

export const FHIR_BASE = "https://ehr.example/fhir";
const CONFIG = { clientId: "site-client", redirectUri: "app/index.html", fhirServers: [FHIR_BASE], scopes: ["patient/Patient.rs"] };

export function useLaunchEhr(): { requested: string[] } {
  const requested: string[] = [];
  const server = setupServer(
    http.get(`${location.origin}/patella-app.json`, () => HttpResponse.json(CONFIG)),
    http.get(`${FHIR_BASE}/.well-known/smart-configuration`, () =>
      HttpResponse.json({
        authorization_endpoint: "https://ehr.example/auth/authorize",
        token_endpoint: "https://ehr.example/auth/token",
        code_challenge_methods_supported: ["S256"],
        capabilities: ["launch-ehr", "client-public"],
      }),
    ),
  );
  beforeAll(() => {
    server.listen({ onUnhandledRequest: "error" });
    server.events.on("request:start", ({ request }) => void requested.push(new URL(request.url).origin + new URL(request.url).pathname));
  });
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return { requested };
}
