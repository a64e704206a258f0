/**
 * A SMART session as fhirclient's ready() finds it in sessionStorage after a launch, written out
 * by hand (SMART_KEY names the entry that holds the state: server, client id, token response),
 * and ready() as main.tsx calls it on every page load; for tests of what the app does when the
 * FHIR or authorization server ends that session, and the App rendered with it. jsdom only.
 */
import { cleanup, render, screen } from "@testing-library/react";
import { http, HttpResponse, type RequestHandler } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import BrowserAdapterModule from "fhirclient/lib/adapters/BrowserAdapter.js";
import { App } from "../../app/App.tsx";
import type { BrowserModels } from "../../app/risk/browser-models.ts";
import { sessionFrom } from "../../app/smart/session.ts";

const BrowserAdapter = ("default" in BrowserAdapterModule ? BrowserAdapterModule.default : BrowserAdapterModule) as typeof BrowserAdapterModule.default;

export const BASE = "https://ehr.example/fhir";
export const PATIENT = "p1";
export const STATE_KEY = "launch-state-1";

/** Stores a launched session on BASE for PATIENT; `state` adds to or overrides its fields. */
export function storeSmartSession(state: Record<string, unknown>): void {
  sessionStorage.setItem("SMART_KEY", JSON.stringify(STATE_KEY));
  sessionStorage.setItem(STATE_KEY, JSON.stringify({ clientId: "patella-app", serverUrl: BASE, key: STATE_KEY, ...state }));
}

/** fhirclient's ready() in the browser. */
export const ready = () => new BrowserAdapter().getSmartApi().ready();

/** Models never reached: without a record there is nothing to score. */
const noModels = new Promise<BrowserModels>(() => undefined);

/** The stored session restored by ready() and the App rendered with it, as main.tsx does on a page load. */
export async function renderApp() {
  const client = await ready();
  render(<App session={sessionFrom(client, "2026-01-02")} models={noModels} modelCardUrl="model-card.html" />);
  return client;
}

/** A session granted `scope` stored, and the App rendered with it and `models` for `indexDate`, as
 * main.tsx does after a launch; resolves once the risk is on screen. */
export async function launchAppUntilRisk(scope: string, models: Promise<BrowserModels>, indexDate = "2026-01-02"): Promise<void> {
  storeSmartSession({ tokenResponse: { access_token: "token", patient: PATIENT, scope } });
  render(<App session={sessionFrom(await ready(), indexDate)} models={models} modelCardUrl="model-card.html" />);
  await screen.findByTestId("risk-value");
}

/** The EHR's FHIR server on BASE for the calling test file (msw): PATIENT, a woman born in 1960,
 * `handlers` before the rest, and any other search empty; the page and the stored session
 * cleared after each test. Returns the server, for per-test handlers. */
export function useFhirServerForPatient(...handlers: RequestHandler[]) {
  const server = setupServer(
    http.get(`${BASE}/Patient/${PATIENT}`, () => HttpResponse.json({ resourceType: "Patient", id: PATIENT, birthDate: "1960-01-01", gender: "female" })),
    ...handlers,
    http.get(`${BASE}/:type`, () => HttpResponse.json({ resourceType: "Bundle", type: "searchset", entry: [] })),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => {
    cleanup();
    sessionStorage.clear();
    server.resetHandlers();
  });
  afterAll(() => server.close());
  return server;
}
