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

/** The FHIR server's SMART configuration, with `overrides` (e.g. another token_endpoint). */
function smartConfiguration(overrides: Record<string, unknown>) {
  return http.get(`${FHIR_BASE}/.well-known/smart-configuration`, () =>
    HttpResponse.json({
      authorization_endpoint: "https://ehr.example/auth/authorize",
      token_endpoint: "https://ehr.example/auth/token",
      code_challenge_methods_supported: ["S256"],
      capabilities: ["launch-ehr", "client-public"],
      ...overrides,
    }),
  );
}

export function useLaunchEhr(): {
  requested: string[];
  launchWith(query: string): Promise<void>;
  /** For the calling test only: the SMART configuration with these fields replaced. */
  serveSmartConfiguration(overrides: Record<string, unknown>): void;
} {
  const requested: string[] = [];
  const server = setupServer(
    http.get(`${location.origin}/patella-app.json`, () => HttpResponse.json(CONFIG)),
    smartConfiguration({}),
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
  return { requested, launchWith, serveSmartConfiguration: (overrides) => server.use(smartConfiguration(overrides)) };
}
