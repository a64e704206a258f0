// @vitest-environment jsdom
/**
 * A token the FHIR server no longer takes (expired or revoked) while the app reads the record:
 * one "relaunch from the EHR" page, not each section's own complaint, and the stored SMART
 * session cleared as fhirclient's own request() clears it on a 401, so that a reload asks to
 * relaunch too instead of retrying the dead token. The session is the one fhirclient's ready()
 * restores from sessionStorage on a reload; the FHIR server is msw.
 */
import { cleanup, screen } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BASE, PATIENT, ready, renderApp, STATE_KEY, storeSmartSession } from "./stored-smart-session.tsx";

const SCOPE = ["Patient", "Condition", "Encounter", "MedicationRequest"].map((t) => `patient/${t}.rs`).join(" ");

const storeLaunchedSession = () => storeSmartSession({ tokenResponse: { access_token: "revoked-token", patient: PATIENT, scope: SCOPE } });

const server = setupServer(
  http.get(`${BASE}/Patient/${PATIENT}`, () => HttpResponse.json({ resourceType: "Patient", id: PATIENT, birthDate: "1960-01-01" })),
  // The token was revoked after the Patient read: every search is refused.
  http.get(`${BASE}/:type`, () =>
    HttpResponse.json({ resourceType: "OperationOutcome", issue: [{ severity: "error", code: "login" }] }, { status: 401, headers: { "www-authenticate": "Bearer" } }),
  ),
);

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  sessionStorage.clear();
  storeLaunchedSession();
});
afterEach(() => {
  cleanup();
  server.resetHandlers();
});
afterAll(() => server.close());

describe("a session the FHIR server refuses (401) during the record read", () => {
  it("shows the one relaunch page and clears the stored session, so that a reload asks to relaunch too", async () => {
    const client = await renderApp();

    await screen.findByRole("heading", { name: "Relaunch Patella from the EHR" });
    expect(screen.getAllByRole("heading", { name: "Relaunch Patella from the EHR" })).toHaveLength(1);
    expect(document.querySelectorAll("#app")).toHaveLength(1);
    expect(document.querySelector("#app")?.getAttribute("data-state")).toBe("session-lost");
    expect(screen.getByRole("alert").textContent).toContain("the FHIR server refused the session's token (HTTP 401)");
    // Not the sections' own "session expired" lines, nor anything of the record.
    expect(document.body.textContent).not.toContain("The session has expired");
    expect(screen.queryByTestId("patient-banner")).toBeNull();
    expect(screen.queryByTestId("launch-details")).toBeNull();

    // Both entries of fhirclient's stored session are gone, and with them the token in memory.
    expect(sessionStorage.getItem("SMART_KEY")).toBeNull();
    expect(sessionStorage.getItem(STATE_KEY)).toBeNull();
    expect(client.getAuthorizationHeader()).toBeNull();
    // The reload: ready() has no session to restore (main.tsx shows the relaunch page for that).
    await expect(ready()).rejects.toThrow("(re)launch the app");
  });

  it("keeps the session when the server refuses with another status (a 403 is one type not allowed)", async () => {
    server.use(http.get(`${BASE}/:type`, () => new HttpResponse(null, { status: 403 })));
    await renderApp();

    await screen.findAllByText(/could not be read \(HTTP 403\)/);
    expect(screen.queryByRole("heading", { name: "Relaunch Patella from the EHR" })).toBeNull();
    expect(sessionStorage.getItem("SMART_KEY")).toBe(JSON.stringify(STATE_KEY));
    await expect(ready()).resolves.toBeDefined();
  });
});
