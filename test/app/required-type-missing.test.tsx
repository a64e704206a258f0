// @vitest-environment jsdom
/**
 * A required type not granted (no risk, so the model reads nothing): the sections that depend on
 * what the model read say "not known", and About still names the model that was loaded. The
 * session is the one fhirclient's ready() restores; the FHIR server is msw.
 */
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { App } from "../../app/App.tsx";
import type { BrowserModels } from "../../app/risk/browser-models.ts";
import { sessionFrom } from "../../app/smart/session.ts";
import type { RiskModelInfo } from "../../shared/inference/index.ts";
import { BASE, PATIENT, ready, storeSmartSession } from "./stored-smart-session.tsx";

// MedicationRequest, which the risk requires, is not granted.
const SCOPE = ["Patient", "Condition", "Encounter", "MedicationStatement", "MedicationDispense", "Observation"].map((t) => `patient/${t}.rs`).join(" ");

const INFO = { name: "deep-koa", version: "9.8.7", specVersion: "koa-features/2", trainedAt: "2026-03-04T00:00:00Z" } as RiskModelInfo;
// Loaded models, of which only the description is ever read: without the required type nothing is scored.
const models = Promise.resolve({ risk: { info: INFO }, baseline: {} } as unknown as BrowserModels);

const server = setupServer(
  http.get(`${BASE}/Patient/${PATIENT}`, () => HttpResponse.json({ resourceType: "Patient", id: PATIENT, birthDate: "1960-01-01" })),
  http.get(`${BASE}/:type`, () => HttpResponse.json({ resourceType: "Bundle", type: "searchset", entry: [] })),
);

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  cleanup();
  sessionStorage.clear();
});
afterAll(() => server.close());

describe("a required type not granted", () => {
  it("names the loaded model and claims no 'none' for what the model did not read", async () => {
    storeSmartSession({ tokenResponse: { access_token: "token", patient: PATIENT, scope: SCOPE } });
    render(<App session={sessionFrom(await ready(), "2026-01-02")} models={models} modelCardUrl="model-card.html" />);

    await screen.findByText(/No risk is shown/);
    await waitFor(() => expect(screen.getByTestId("model-version").textContent).toBe("Model: deep-koa 9.8.7 (features koa-features/2, trained 2026-03-04)"));
    const quality = screen.getByTestId("data-quality").textContent ?? "";
    expect(quality).toContain("Not shown: the EHR did not grant access to prescriptions (MedicationRequest).");
    expect(quality).not.toContain("None");
  });
});

describe("About while the models load or when they cannot", () => {
  it("says loading, not 'not loaded', while the models are on their way, and why they failed if they do", async () => {
    storeSmartSession({ tokenResponse: { access_token: "token", patient: PATIENT, scope: SCOPE } });
    const session = sessionFrom(await ready(), "2026-01-02");
    const { unmount } = render(<App session={session} models={new Promise<BrowserModels>(() => undefined)} modelCardUrl="model-card.html" />);
    await screen.findByText(/No risk is shown/);
    expect(screen.getByTestId("model-version").textContent).toBe("Model: loading...");
    unmount();

    const failed = Promise.reject(new Error("the WASM runtime could not be fetched"));
    failed.catch(() => undefined);
    render(<App session={session} models={failed} modelCardUrl="model-card.html" />);
    await waitFor(() => expect(screen.getByTestId("model-version").textContent).toBe("Model: could not be loaded (the WASM runtime could not be fetched)"));
  });
});
