import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../../sandbox/sandbox-server.ts";
import { FIXTURE_RESOURCES } from "../fixtures.ts";
import { pkcePair } from "../pkce-pair.ts";

const REDIRECT = "http://127.0.0.1:9/app/";
const OTHER_REDIRECT = "http://127.0.0.1:9/other/";
let clock = Date.parse("2026-01-01T00:00:00Z");
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, resources: FIXTURE_RESOURCES, grants: { now: () => clock } });
  sandbox.appClients.push({ clientId: "test-app", redirectUris: [REDIRECT, OTHER_REDIRECT] });
});
afterAll(() => sandbox.close());

interface AuthorizeParams {
  scope?: string;
  redirectUri?: string;
  challenge: string;
  method?: string;
  launch?: string;
}

async function authorize(p: AuthorizeParams): Promise<Response> {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: "test-app",
    redirect_uri: p.redirectUri ?? REDIRECT,
    scope: p.scope ?? "launch patient/Patient.rs patient/Condition.rs",
    state: "st-1",
    aud: sandbox.fhirBaseUrl,
    code_challenge: p.challenge,
    code_challenge_method: p.method ?? "S256",
    ...(p.launch !== undefined && { launch: p.launch }),
  });
  return fetch(`${sandbox.url}/auth/authorize?${q}`, { redirect: "manual" });
}

async function launchFor(patient: string, appContext?: string): Promise<string> {
  return sandbox.store.launches.put({ patient, needPatientBanner: false, ...(appContext !== undefined && { appContext }) });
}

async function codeFrom(res: Response): Promise<string> {
  expect(res.status).toBe(303);
  const location = new URL(res.headers.get("location") ?? "");
  expect(location.searchParams.get("state")).toBe("st-1");
  return location.searchParams.get("code") ?? "";
}

function token(fields: Record<string, string>): Promise<Response> {
  return fetch(`${sandbox.url}/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
}

function exchange(code: string, verifier: string, redirectUri = REDIRECT): Promise<Response> {
  return token({ grant_type: "authorization_code", code, code_verifier: verifier, client_id: "test-app", redirect_uri: redirectUri });
}

describe("EHR launch", () => {
  it("returns the launch context, appContext and the granted scopes", async () => {
    const { verifier, challenge } = pkcePair();
    const launch = await launchFor("alice", '{"riskId":"r1"}');
    const code = await codeFrom(await authorize({ challenge, launch, scope: "launch patient/Patient.rs patient/Condition.rs patient/*.read" }));
    const res = await exchange(code, verifier);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: "Bearer", patient: "alice", appContext: '{"riskId":"r1"}', need_patient_banner: false, expires_in: 3600 });
    expect(body.smart_style_url).toBe(`${sandbox.url}/auth/smart-style.json`);
    // v1 scopes are not granted, and the response says so.
    expect(body.scope).toBe("launch patient/Patient.rs patient/Condition.rs");
    expect(body.refresh_token).toBeUndefined();
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("issues a refresh token for offline_access and refuses a wider scope on refresh", async () => {
    const { verifier, challenge } = pkcePair();
    const code = await codeFrom(await authorize({ challenge, launch: await launchFor("bob"), scope: "launch patient/Condition.rs offline_access" }));
    const first = (await (await exchange(code, verifier)).json()) as { refresh_token: string };
    expect(first.refresh_token).toMatch(/.{20,}/);
    const wider = await token({ grant_type: "refresh_token", refresh_token: first.refresh_token, scope: "patient/Observation.rs" });
    expect(wider.status).toBe(400);
    expect(((await wider.json()) as { error: string }).error).toBe("invalid_scope");
  });

  it("rotates refresh tokens: the new one works, the old one is spent", async () => {
    const { verifier, challenge } = pkcePair();
    const code = await codeFrom(await authorize({ challenge, launch: await launchFor("bob"), scope: "patient/Condition.rs offline_access" }));
    const first = (await (await exchange(code, verifier)).json()) as { refresh_token: string };
    const second = await token({ grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(second.status).toBe(200);
    expect(((await second.json()) as { patient: string }).patient).toBe("bob");
    const replay = await token({ grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(replay.status).toBe(400);
  });
});

describe("refusals", () => {
  it("refuses a bad PKCE verifier", async () => {
    const { challenge } = pkcePair();
    const code = await codeFrom(await authorize({ challenge, launch: await launchFor("alice") }));
    const res = await exchange(code, pkcePair().verifier);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_grant", error_description: "code_verifier does not match" });
  });

  it("refuses PKCE plain at authorize, back to the app as an OAuth error", async () => {
    const res = await authorize({ challenge: pkcePair().challenge, method: "plain", launch: await launchFor("alice") });
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get("location") ?? "").searchParams.get("error")).toBe("invalid_request");
  });

  it("refuses an unregistered redirect URI without redirecting", async () => {
    const res = await authorize({ challenge: pkcePair().challenge, redirectUri: "https://evil.example/cb", launch: await launchFor("alice") });
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
  });

  it("refuses a token request whose redirect URI differs from the authorize request", async () => {
    const { verifier, challenge } = pkcePair();
    const code = await codeFrom(await authorize({ challenge, launch: await launchFor("alice") }));
    const res = await exchange(code, verifier, OTHER_REDIRECT);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error_description: string }).error_description).toMatch(/redirect_uri/);
  });

  it("refuses a reused code", async () => {
    const { verifier, challenge } = pkcePair();
    const code = await codeFrom(await authorize({ challenge, launch: await launchFor("alice") }));
    expect((await exchange(code, verifier)).status).toBe(200);
    const again = await exchange(code, verifier);
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("refuses an expired code and an expired launch", async () => {
    const { verifier, challenge } = pkcePair();
    const code = await codeFrom(await authorize({ challenge, launch: await launchFor("alice") }));
    const launch = await launchFor("alice");
    clock += 11 * 60_000;
    expect((await exchange(code, verifier)).status).toBe(400);
    const res = await authorize({ challenge, launch });
    expect(new URL(res.headers.get("location") ?? "").searchParams.get("error_description")).toBe("unknown or expired launch");
  });

  it("refuses an aud that is not this FHIR server", async () => {
    const q = new URLSearchParams({
      response_type: "code", client_id: "test-app", redirect_uri: REDIRECT, scope: "patient/Patient.rs", state: "s",
      aud: "https://other.example/fhir", code_challenge: pkcePair().challenge, code_challenge_method: "S256",
    });
    const res = await fetch(`${sandbox.url}/auth/authorize?${q}`, { redirect: "manual" });
    expect(new URL(res.headers.get("location") ?? "").searchParams.get("error")).toBe("invalid_request");
  });

  it("refuses an unknown grant type and a JSON body", async () => {
    expect((await token({ grant_type: "password" })).status).toBe(400);
    const json = await fetch(`${sandbox.url}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(((await json.json()) as { error: string }).error).toBe("invalid_request");
  });
});

describe("standalone launch", () => {
  it("shows a patient picker, then binds the picked patient", async () => {
    const { verifier, challenge } = pkcePair();
    const picker = await authorize({ challenge, scope: "launch/patient patient/Patient.rs" });
    expect(picker.status).toBe(200);
    const html = await picker.text();
    expect(html).toContain("sandbox");
    // An empty icon, so the browser asks for no /favicon.ico (a 404 in the console otherwise).
    expect(html).toContain('<link rel="icon" href="data:,">');
    const href = /href="\?([^"]+picked_patient=bob[^"]*)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
    expect(href).toBeDefined();
    const res = await fetch(`${sandbox.url}/auth/authorize?${href}`, { redirect: "manual" });
    const body = (await (await exchange(await codeFrom(res), verifier)).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ patient: "bob", need_patient_banner: true });
  });
});

describe("SMART style file", () => {
  it("serves the style the token response points to, readable from another origin", async () => {
    const res = await fetch(`${sandbox.url}/auth/smart-style.json`, { headers: { origin: "http://app.example" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const style = (await res.json()) as Record<string, string>;
    expect(style.font_family_body).toMatch(/sans-serif$/);
    expect(style.color_text).toMatch(/^#[0-9a-f]{6}$/);
  });
});
