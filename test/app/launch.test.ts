// @vitest-environment jsdom
/**
 * launch.html's script (app/launch.ts) against a crafted launch link. fhirclient's authorize()
 * takes `clientId`, `patientId` and `fhirServiceUrl` from the page's URL over the options the
 * app passes (node_modules/fhirclient/lib/smart.js), so a link could swap the site's client id,
 * fix the patient, or skip the authorization server altogether. Such a link is refused before
 * anything leaves the app's origin; a plain EHR launch link goes to the authorization server
 * with the client id of patella-app.json.
 */
import { describe, expect, it, vi } from "vitest";
import { FHIR_BASE, useLaunchEhr } from "./launch-ehr.ts";

// The app is built with fhirclient's browser entry; vitest would resolve its Node entry, which
// has no oauth2.authorize. This picks the real browser build, nothing stands in for it.
vi.mock("fhirclient", async () => ({ default: (await import("fhirclient/lib/entry/browser.js")).default }));

const { requested, launchWith, serveSmartConfiguration } = useLaunchEhr();


const alertText = () => document.querySelector('[role="alert"]')?.textContent;
const ehrLaunch = `iss=${encodeURIComponent(FHIR_BASE)}&launch=xyz`;

describe("launch.html and the launch link's own parameters", () => {
  it("launches a plain EHR link with the configured client id (the control)", async () => {
    await launchWith(ehrLaunch);
    // fhirclient's launch state, stored once the server's SMART configuration is read.
    const stored = () => JSON.parse(sessionStorage.getItem(JSON.parse(sessionStorage.getItem("SMART_KEY") ?? "null")) ?? "null");
    await vi.waitFor(() => expect(stored()).toMatchObject({ clientId: "site-client", serverUrl: FHIR_BASE, authorizeUri: "https://ehr.example/auth/authorize" }));
    expect(requested).toContain(`${FHIR_BASE}/.well-known/smart-configuration`);
    expect(alertText()).toBeUndefined();
  });

  it.each([
    ["clientId", `${ehrLaunch}&clientId=other-client`],
    ["patientId", `${ehrLaunch}&patientId=someone-else`],
    ["fhirServiceUrl", `fhirServiceUrl=${encodeURIComponent(FHIR_BASE)}`],
    ["clientId, patientId", `${ehrLaunch}&patientId=someone-else&clientId=other-client`],
  ])("refuses a link that sets %s, before any request to the EHR, naming the parameters and not their values", async (names, query) => {
    await launchWith(query);
    await vi.waitFor(() => expect(alertText()).toBeDefined());
    expect(alertText()).toBe(
      `Could not start the SMART launch: the launch link sets ${names}, which an EHR never sends: Patella takes its client id from patella-app.json and the patient from the EHR's authorization`,
    );
    expect(requested.filter((url) => !url.startsWith(location.origin))).toEqual([]);
    expect(sessionStorage.getItem("SMART_KEY")).toBeNull();
  });
});

describe("launch.html and the EHR's authorization server", () => {
  it.each([
    ["token endpoint", { token_endpoint: "http://auth.example/token" }, "http://auth.example"],
    ["authorization endpoint", { authorization_endpoint: "http://auth.example/authorize" }, "http://auth.example"],
  ])("stops when the SMART configuration names a %s not over https, before the browser goes there", async (name, overrides, origin) => {
    serveSmartConfiguration(overrides);
    await launchWith(ehrLaunch);
    await vi.waitFor(() => expect(alertText()).toBeDefined());
    expect(alertText()).toBe(`Could not start the SMART launch: the FHIR server's SMART configuration names a ${name} not over https (${origin})`);
    // Nothing past the configuration was asked for, and the launch's state (its PKCE verifier) is gone.
    expect(requested.filter((url) => !url.startsWith(location.origin))).toEqual([`${FHIR_BASE}/.well-known/smart-configuration`]);
    const key = JSON.parse(sessionStorage.getItem("SMART_KEY") ?? "null") as string;
    expect(sessionStorage.getItem(key)).toBeNull();
  });

  it("stops when the launch's stored state cannot be read back, as its endpoints then cannot be checked", async () => {
    // fhirclient writes sessionStorage by property, which this leaves alone; the app reads by getItem.
    const getItem = vi.spyOn(Storage.prototype, "getItem").mockReturnValue(null);
    try {
      await launchWith(ehrLaunch);
      await vi.waitFor(() => expect(alertText()).toBeDefined());
    } finally {
      getItem.mockRestore();
    }
    expect(alertText()).toBe("Could not start the SMART launch: the launch's stored state could not be read back, so the authorization server's endpoints could not be checked");
    const key = JSON.parse(sessionStorage.getItem("SMART_KEY") ?? "null") as string;
    expect(sessionStorage.getItem(key)).toBeNull();
  });
});

describe("launch.html opened by the EHR in a named popup", () => {
  it("completes the authorization in its own window, as it does in a frame or a tab", async () => {
    // fhirclient, unless told, completes a popup's authorization in the window that opened it: the
    // app page would post its URL to the EHR's window and close itself (smart.js completeAuth).
    const opener = Object.getOwnPropertyDescriptor(window, "opener");
    Object.defineProperty(window, "opener", { value: { name: "the EHR's window" }, configurable: true });
    window.name = "patella";
    try {
      await launchWith(ehrLaunch);
      const stored = () => JSON.parse(sessionStorage.getItem(JSON.parse(sessionStorage.getItem("SMART_KEY") ?? "null")) ?? "null");
      await vi.waitFor(() => expect(stored()).toMatchObject({ serverUrl: FHIR_BASE, completeInTarget: true }));
    } finally {
      if (opener === undefined) Reflect.deleteProperty(window, "opener");
      else Object.defineProperty(window, "opener", opener);
      window.name = "";
    }
  });
});
