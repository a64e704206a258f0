/**
 * The EHR a launch.html test launches from (msw): the site's patella-app.json on the app's origin
 * and the FHIR server's SMART configuration, with every request's origin and path recorded (what
 * left the page). A test module calls `useLaunchEhr()` at its top level, and opens launch.html
 * with `launchWith`: each test starts from an empty sessionStorage and page and a fresh import of
 * launch.ts (the module's script runs once per import).
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";

export const FHIR_BASE = "https://ehr.example/fhir";
const CONFIG = { clientId: "site-client", redirectUri: "app/index.html", fhirServers: [FHIR_BASE], scopes: ["patient/Patient.rs"] };

export function useLaunchEhr(): { requested: string[]; launchWith(query: string): Promise<void> } {
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
  beforeEach(() => {
    sessionStorage.clear();
    requested.length = 0;
    document.body.replaceChildren();
    vi.resetModules();
  });
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  const launchWith = async (query: string): Promise<void> => {
    history.replaceState(null, "", `/launch.html?${query}`);
    await import("../../app/launch.ts");
  };
  return { requested, launchWith };
}
