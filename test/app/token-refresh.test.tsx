// @vitest-environment jsdom
/**
 * The session's access token has expired and fhirclient renews it with the refresh token before
 * the record read. An authorization server that refuses the refresh (RFC 6749 section 5.2: 400
 * `invalid_grant`, or 401) has ended the session: the one relaunch page, with the stored session
 * cleared, as for a 401 from the FHIR server (session-expired.test.tsx). A token endpoint that is
 * down (5xx, network) refused nothing: each query fails on its own and the session, refresh token
 * included, stays, so that a reload renews the token once the endpoint is back. The session is
 * the one fhirclient's ready() restores from sessionStorage; the FHIR and token servers are msw.
 */
import { cleanup, screen } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { searchset } from "./data/fhir-test-client.ts";
import { BASE, PATIENT, ready, renderApp, STATE_KEY, storeSmartSession } from "./stored-smart-session.tsx";

const TOKEN_URI = "https://ehr.example/auth/token";
const SCOPE = ["Patient", "Condition", "Encounter", "MedicationRequest"].map((t) => `patient/${t}.rs`).join(" ") + " offline_access";
const REFRESH_TOKEN = "refresh-1";

/** What fhirclient's ready() leaves in sessionStorage after a launch, an hour later: the access
 * token expired (expiresAt in the past), a refresh token and the token endpoint to use it at. */
function storeExpiredSession(): void {
  storeSmartSession({
    tokenUri: TOKEN_URI,
    expiresAt: Math.floor(Date.now() / 1000) - 60,
    tokenResponse: { access_token: "expired-token", refresh_token: REFRESH_TOKEN, patient: PATIENT, scope: SCOPE },
  });
}

/** The FHIR server takes only the renewed token. */
const fhirServer = [
  http.get(`${BASE}/Patient/${PATIENT}`, ({ request }) =>
    request.headers.get("authorization") === "Bearer fresh-token"
      ? HttpResponse.json({ resourceType: "Patient", id: PATIENT, name: [{ text: "Ada Example" }], birthDate: "1960-01-01" })
      : new HttpResponse(null, { status: 401 }),
  ),
  http.get(`${BASE}/:type`, ({ request }) =>
    request.headers.get("authorization") === "Bearer fresh-token" ? HttpResponse.json(searchset([])) : new HttpResponse(null, { status: 401 }),
  ),
];

/** A token endpoint that renews only the session's refresh token. */
const renewing = http.post(TOKEN_URI, async ({ request }) =>
  new URLSearchParams(await request.text()).get("refresh_token") === REFRESH_TOKEN
    ? HttpResponse.json({ access_token: "fresh-token", token_type: "bearer", expires_in: 3600, scope: SCOPE })
    : HttpResponse.json({ error: "invalid_grant" }, { status: 400 }),
);

const server = setupServer(...fhirServer);

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  sessionStorage.clear();
  storeExpiredSession();
});
afterEach(() => {
  cleanup();
  server.resetHandlers();
});
afterAll(() => server.close());

describe("the authorization server refuses to renew the expired token", () => {
  it.each([
    ["400 invalid_grant (the refresh token expired or was revoked)", 400, { error: "invalid_grant", error_description: "refresh token expired" }],
    ["401 invalid_client", 401, { error: "invalid_client" }],
  ])("%s: shows the one relaunch page and clears the stored session", async (_, status, body) => {
    server.use(http.post(TOKEN_URI, () => HttpResponse.json(body, { status })));
    const client = await renderApp();

    await screen.findByRole("heading", { name: "Relaunch Patella from the EHR" });
    expect(screen.getAllByRole("heading", { name: "Relaunch Patella from the EHR" })).toHaveLength(1);
    expect(document.querySelector("#app")?.getAttribute("data-state")).toBe("session-lost");
    expect(screen.getByRole("alert").textContent).toContain(`the authorization server refused to renew the session's token (HTTP ${status})`);
    expect(document.body.textContent).not.toContain("could not be read");

    expect(sessionStorage.getItem("SMART_KEY")).toBeNull();
    expect(sessionStorage.getItem(STATE_KEY)).toBeNull();
    expect(client.getAuthorizationHeader()).toBeNull();
    await expect(ready()).rejects.toThrow("(re)launch the app");
  });
});

describe("the token endpoint is down", () => {
  it.each([
    ["503", () => new HttpResponse("maintenance", { status: 503 }), "HTTP 503"],
    ["a network error", () => HttpResponse.error(), "network error"],
  ])("%s: each query fails on its own, and the session stays so that a reload renews the token", async (_, answer, why) => {
    server.use(http.post(TOKEN_URI, answer));
    await renderApp();

    expect((await screen.findAllByText(new RegExp(`could not be read \\(${why}\\)`))).length).toBeGreaterThan(0);
    expect(screen.queryByRole("heading", { name: "Relaunch Patella from the EHR" })).toBeNull();
    expect(sessionStorage.getItem("SMART_KEY")).toBe(JSON.stringify(STATE_KEY));
    cleanup();

    // The endpoint is back; the reload restores the session and renews the token with it.
    server.use(renewing);
    await renderApp();
    expect((await screen.findByTestId("patient-banner")).textContent).toContain("Ada Example");
    expect(document.body.textContent).not.toContain("could not be read");
  });
});
