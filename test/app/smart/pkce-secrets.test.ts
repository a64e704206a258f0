// @vitest-environment jsdom
/** Once the code is exchanged, the PKCE verifier and challenge leave the launch's stored state; the rest (the session a reload needs) stays. */
import { beforeEach, describe, expect, it } from "vitest";
import { forgetPkceSecrets } from "../../../app/smart/pkce-secrets.ts";

const KEY = "launch-state-key";
const stored = () => JSON.parse(sessionStorage.getItem(KEY) ?? "null");

beforeEach(() => sessionStorage.clear());

describe("forgetPkceSecrets", () => {
  it("removes the verifier and the challenge from the stored state and the client's, keeping the rest", () => {
    const state = { key: KEY, serverUrl: "https://ehr.example/fhir", tokenResponse: { access_token: "t", patient: "p1" }, codeVerifier: "v", codeChallenge: "c" };
    sessionStorage.setItem(KEY, JSON.stringify(state));
    const client = { state: { ...state } };
    forgetPkceSecrets(client, sessionStorage);
    expect(stored()).toEqual({ key: KEY, serverUrl: "https://ehr.example/fhir", tokenResponse: { access_token: "t", patient: "p1" } });
    expect(client.state).not.toHaveProperty("codeVerifier");
    expect(client.state).not.toHaveProperty("codeChallenge");
  });

  it("leaves storage alone when the state has no key or its entry is not fhirclient's JSON", () => {
    sessionStorage.setItem(KEY, "not json");
    forgetPkceSecrets({ state: { codeVerifier: "v" } }, sessionStorage);
    forgetPkceSecrets({ state: { key: KEY, codeVerifier: "v" } }, sessionStorage);
    expect(sessionStorage.getItem(KEY)).toBe("not json");
  });
});
