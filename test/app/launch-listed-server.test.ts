// @vitest-environment jsdom
/**
 * launch.html launches with the FHIR server as the site lists it in patella-app.json, not as the
 * link spells it: an authorization server compares `aud` with its FHIR base exactly (the sandbox
 * does: sandbox/auth/authorize-route.ts), and fhirclient sends the link's `iss` as given, so
 * `.../fhir/` (trailing slash), which passes the fhirServers check, would be refused. A file of
 * its own: fhirclient's browser adapter reads the page's URL once and keeps it (BrowserAdapter
 * getUrl), so a second launch in one module load would still see the first one's link.
 */
import { expect, it, vi } from "vitest";
import { FHIR_BASE, useLaunchEhr } from "./launch-ehr.ts";

// fhirclient's browser build, as the app is built with (see launch.test.ts).
vi.mock("fhirclient", async () => ({ default: (await import("fhirclient/lib/entry/browser.js")).default }));

const { requested } = useLaunchEhr();

it("launches a link whose iss has a trailing slash with the listed server's base", async () => {
  history.replaceState(null, "", `/launch.html?iss=${encodeURIComponent(`${FHIR_BASE}/`)}&launch=xyz`);
  await import("../../app/launch.ts");
  const stored = () => JSON.parse(sessionStorage.getItem(JSON.parse(sessionStorage.getItem("SMART_KEY") ?? "null")) ?? "null");
  await vi.waitFor(() => expect(stored()).toMatchObject({ serverUrl: FHIR_BASE, authorizeUri: "https://ehr.example/auth/authorize" }));
  expect(requested).toEqual([`${location.origin}/patella-app.json`, `${FHIR_BASE}/.well-known/smart-configuration`]);
  expect(document.querySelector('[role="alert"]')).toBeNull();
});
