/**
 * The EHR's hook calls as a CDS service sees them, checked by a small stub service that records
 * each request and verifies its JWT against the EHR's published JWKS.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../../sandbox/sandbox-server.ts";
import { FIXTURE_RESOURCES } from "../fixtures.ts";

interface Recorded {
  method: string;
  url: string;
  authorization: string;
  body: Record<string, unknown>;
}

let sandbox: Sandbox;
let stub: Server;
let stubUrl: string;
let recorded: Recorded[] = [];
/** When set, the stub refuses the next hook or feedback call with this status and OperationOutcome. */
let refusal: { status: number; diagnostics: string } | undefined;
const refuse = (res: express.Response): boolean => {
  if (!refusal) return false;
  res.status(refusal.status).type("application/fhir+json").json({ resourceType: "OperationOutcome", issue: [{ severity: "error", code: "conflict", diagnostics: refusal.diagnostics }] });
  refusal = undefined;
  return true;
};

const PREFETCH = {
  patient: "Patient/{{context.patientId}}",
  conditions: "Condition?patient={{context.patientId}}&_count=5",
  bmi: "Observation?patient={{context.patientId}}&code=http://loinc.org|39156-5",
  requests: "MedicationRequest?patient={{context.patientId}}",
};

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, resources: FIXTURE_RESOURCES, slowDelayMs: 10 });
  const app = express();
  app.use(express.json());
  app.use((req, _res, next) => {
    recorded.push({ method: req.method, url: req.originalUrl, authorization: req.get("authorization") ?? "", body: req.body ?? {} });
    next();
  });
  app.get("/cds-services", (_req, res) => void res.json({ services: [{ hook: "patient-view", id: "stub", description: "d", prefetch: PREFETCH }, { hook: "order-select", id: "other", description: "d" }] }));
  app.post("/cds-services/stub", (_req, res) => void (refuse(res) || res.json({ cards: [{ summary: "s", indicator: "info", source: { label: "stub" } }] })));
  app.post("/cds-services/stub/feedback", (_req, res) => void (refuse(res) || res.json({})));
  stub = createServer(app);
  await new Promise<void>((r) => stub.listen(0, "127.0.0.1", r));
  stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  sandbox.cdsServices.push(stubUrl);
});
afterAll(async () => {
  stub.closeAllConnections();
  await new Promise((r) => stub.close(r));
  await sandbox.close();
});
beforeEach(() => {
  recorded = [];
  refusal = undefined;
});

function fire(patient: string, body: object): Promise<Response> {
  return fetch(`${sandbox.url}/ehr/api/patients/${patient}/patient-view`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("patient-view as the EHR fires it", () => {
  it("discovers first, then calls only patient-view services, each with an ES384 JWT for the exact URL", async () => {
    const res = await fire("alice", {});
    const { services } = (await res.json()) as { services: { serviceId: string; status: number; cards: unknown[] }[] };
    expect(services).toEqual([expect.objectContaining({ serviceId: "stub", status: 200, cards: [expect.objectContaining({ summary: "s" })] })]);
    expect(recorded.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /cds-services", "POST /cds-services/stub"]);
    const jwks = createRemoteJWKSet(new URL(sandbox.hookJwksUrl));
    for (const r of recorded) {
      const token = r.authorization.replace(/^Bearer /, "");
      expect(decodeProtectedHeader(token)).toMatchObject({ alg: "ES384", typ: "JWT", jku: sandbox.hookJwksUrl });
      const { payload } = await jwtVerify(token, jwks, { issuer: sandbox.hookIssuer, audience: `${stubUrl}${r.url}` });
      expect(payload.exp! - payload.iat!).toBe(300);
      expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("fills prefetch from the templates, with null for a query that finds nothing", async () => {
    await fire("alice", {});
    const body = recorded[1]?.body as { hook: string; context: object; prefetch: Record<string, { resourceType: string; total?: number; entry?: unknown[]; link?: { relation: string }[] } | null> };
    expect(body.hook).toBe("patient-view");
    expect(body.context).toEqual({ userId: "Practitioner/sandbox-clinician", patientId: "alice" });
    expect(body.prefetch.patient?.resourceType).toBe("Patient");
    expect(body.prefetch.conditions?.total).toBe(7);
    expect(body.prefetch.conditions?.entry).toHaveLength(5);
    expect(body.prefetch.conditions?.link?.map((l) => l.relation)).toContain("next");
    expect(body.prefetch.bmi?.total).toBe(1);
    expect(body.prefetch.requests).toBeNull();
  });

  it("gives fhirServer and a patient-limited token that works on the FHIR server", async () => {
    await fire("alice", {});
    const body = recorded[1]?.body as { fhirServer: string; fhirAuthorization: { access_token: string; token_type: string; scope: string; patient: string; subject: string; expires_in: number } };
    expect(body.fhirServer).toBe(sandbox.fhirBaseUrl);
    expect(body.fhirAuthorization).toMatchObject({ token_type: "Bearer", patient: "alice", subject: "cds-service:stub", expires_in: 300 });
    const auth = { headers: { Authorization: `Bearer ${body.fhirAuthorization.access_token}` } };
    expect((await fetch(`${sandbox.fhirBaseUrl}/Condition?patient=alice`, auth)).status).toBe(200);
    expect((await fetch(`${sandbox.fhirBaseUrl}/Condition?patient=bob`, auth)).status).toBe(403);
    // Only the types its prefetch templates name: not the claims or notes the server also holds.
    expect(body.fhirAuthorization.scope).toBe("patient/Patient.rs patient/Condition.rs patient/Observation.rs patient/MedicationRequest.rs");
    expect((await fetch(`${sandbox.fhirBaseUrl}/Claim?patient=alice`, auth)).status).toBe(403);
  });

  it("omits prefetch on request, and hands out a failing FHIR token on request", async () => {
    await fire("alice", { omitPrefetch: true, fhirFault: "fail" });
    const body = recorded[1]?.body as { prefetch?: unknown; fhirAuthorization: { access_token: string } };
    expect(body).not.toHaveProperty("prefetch");
    const res = await fetch(`${sandbox.fhirBaseUrl}/Patient/alice`, { headers: { Authorization: `Bearer ${body.fhirAuthorization.access_token}` } });
    expect(res.status).toBe(503);
  });

  it("reports why a service refused the hook: the status and its OperationOutcome's diagnostics", async () => {
    refusal = { status: 412, diagnostics: "required prefetch key patient could not be fetched: timed out" };
    const { services } = (await (await fire("alice", {})).json()) as { services: { status: number; error?: string; reason?: string; cards: unknown[] }[] };
    expect(services).toEqual([
      expect.objectContaining({ status: 412, error: "service answered 412", reason: "required prefetch key patient could not be fetched: timed out", cards: [] }),
    ]);
  });

  it("refuses unknown patients and bad toggles with 4xx", async () => {
    expect((await fire("nobody", {})).status).toBe(404);
    expect((await fire("alice", { fhirFault: "sometimes" })).status).toBe(400);
  });
});

describe("feedback and launches", () => {
  it("relays feedback with outcomeTimestamp, and only to configured services", async () => {
    const send = (baseUrl: string) =>
      fetch(`${sandbox.url}/ehr/api/feedback`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ baseUrl, serviceId: "stub", card: "c-1", outcome: "overridden", overrideReason: { reason: { code: "x", display: "X" } } }),
      });
    expect((await send(stubUrl)).status).toBe(200);
    const item = (recorded[0]?.body as { feedback: Record<string, unknown>[] }).feedback[0];
    expect(item).toMatchObject({ card: "c-1", outcome: "overridden", overrideReason: { reason: { code: "x" } } });
    expect(Date.parse(String(item?.outcomeTimestamp))).not.toBeNaN();
    expect((await send("http://127.0.0.1:1")).status).toBe(400);
  });

  it("says what the service answered when it refuses feedback, not a bare 502", async () => {
    refusal = { status: 409, diagnostics: "feedback[0]: card c-2 already has another decision (accepted)" };
    const res = await fetch(`${sandbox.url}/ehr/api/feedback`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ baseUrl: stubUrl, serviceId: "stub", card: "c-2", outcome: "overridden" }),
    });
    expect(res.status).toBe(502);
    // The page shows `error` as "Feedback failed: <error>".
    expect(await res.json()).toEqual({ status: 409, error: "the service answered 409: feedback[0]: card c-2 already has another decision (accepted)" });
    expect(sandbox.sentFeedback.at(-1)).toMatchObject({ card: "c-2", status: 409 });
  });

  it("creates a launch carrying the patient and appContext", async () => {
    const res = await fetch(`${sandbox.url}/ehr/api/launch`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ patientId: "bob", appContext: "ctx", embedded: false }),
    });
    const { launch, iss } = (await res.json()) as { launch: string; iss: string };
    expect(iss).toBe(sandbox.fhirBaseUrl);
    expect(sandbox.store.launches.get(launch)).toEqual({ patient: "bob", appContext: "ctx", needPatientBanner: true });
  });
});

describe("bad requests to the EHR API", () => {
  it("answers malformed JSON with a JSON 400, not an HTML page", async () => {
    const res = await fetch(`${sandbox.url}/ehr/api/patients/alice/patient-view`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{bad",
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "the request body could not be read" });
  });
});
