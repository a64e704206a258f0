import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../../sandbox/sandbox-server.ts";
import { FIXTURE_RESOURCES } from "../fixtures.ts";

let sandbox: Sandbox;
let clientKey: CryptoKey;
let otherKey: CryptoKey;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, resources: FIXTURE_RESOURCES });
  const pair = await generateKeyPair("ES384");
  clientKey = pair.privateKey;
  otherKey = (await generateKeyPair("ES384")).privateKey;
  sandbox.backendClients.push({ clientId: "bulk", jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES384" }] } });
});
afterAll(() => sandbox.close());

interface AssertionOptions {
  key?: CryptoKey;
  lifetimeSeconds?: number;
  jti?: string;
  aud?: string;
}

function assertion(o: AssertionOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "ES384", kid: "k1", typ: "JWT" })
    .setIssuer("bulk")
    .setSubject("bulk")
    .setAudience(o.aud ?? `${sandbox.url}/auth/token`)
    .setExpirationTime(now + (o.lifetimeSeconds ?? 240))
    .setJti(o.jti ?? crypto.randomUUID())
    .sign(o.key ?? clientKey);
}

function token(clientAssertion: string, scope = "system/Patient.rs system/Condition.rs"): Promise<Response> {
  return fetch(`${sandbox.url}/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: clientAssertion,
      scope,
    }),
  });
}

describe("SMART Backend Services", () => {
  it("grants read-only system scopes that read every patient", async () => {
    const res = await token(await assertion(), "system/Patient.rs system/Condition.rs system/Observation.cruds");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; scope: string; expires_in: number };
    expect(body.scope).toBe("system/Patient.rs system/Condition.rs");
    expect(body.expires_in).toBe(300);
    const search = await fetch(`${sandbox.fhirBaseUrl}/Patient`, { headers: { Authorization: `Bearer ${body.access_token}` } });
    expect(((await search.json()) as { total: number }).total).toBe(2);
  });

  it("refuses an assertion signed by an unregistered key", async () => {
    expect((await token(await assertion({ key: otherKey }))).status).toBe(401);
  });

  it("refuses a replayed assertion", async () => {
    const once = await assertion({ jti: "fixed-jti" });
    expect((await token(once)).status).toBe(200);
    const replay = await token(once);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error_description: string }).error_description).toMatch(/jti/);
  });

  it("refuses an assertion living longer than five minutes or meant for another endpoint", async () => {
    expect((await token(await assertion({ lifetimeSeconds: 3600 }))).status).toBe(401);
    expect((await token(await assertion({ aud: "https://other.example/token" }))).status).toBe(401);
  });

  it("refuses patient/ scopes for a backend client", async () => {
    const res = await token(await assertion(), "patient/Patient.rs");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe("invalid_scope");
  });
});
