import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODEL_DISCLAIMER } from "../../shared/assess-risk.ts";
import { HOOK_PATH, startTestService, type TestService } from "./support/test-service.ts";
import { fullPrefetch, hookBody } from "./support/hook-requests.ts";
import { captureLog } from "./support/log-capture.ts";

describe("discovery, health and HTTP errors", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService({ config: { limits: { bodyLimit: "20kb" } } });
  });
  afterAll(() => svc.close());

  it("lists koa-risk for patient-view with 2.0-only prefetch tokens", async () => {
    const res = await svc.call("GET", "/cds-services");
    expect(res.status).toBe(200);
    const [service] = res.body.services;
    expect(service).toMatchObject({ id: "koa-risk", hook: "patient-view" });
    expect(service.description).toContain("synthetic data");
    expect(Object.keys(service.prefetch).sort()).toEqual(["bodyMeasures", "conditions", "encounters", "kneeKlGrades", "medicationDispenses", "medicationRequests", "medicationStatements", "patient", "procedures"]);
    // In words, with the keys, and the read scopes in both SMART forms (CDS Hooks 2.0 cites SMART 1.0's .read).
    expect(service.usageRequirements).toBe(
      "Required: patient demographics [patient], diagnoses [conditions], encounters [encounters] and prescriptions [medicationRequests], " +
        "either prefetched or readable from fhirServer with the fhirAuthorization access token (scopes patient/Patient.read, " +
        "patient/Condition.read, patient/Encounter.read and patient/MedicationRequest.read; or in SMART v2 patient/Patient.rs, " +
        "patient/Condition.rs, patient/Encounter.rs and patient/MedicationRequest.rs); without them the service answers 412. " +
        "Optional, fetched the same way when not prefetched: medication statements [medicationStatements], dispensed medications " +
        "[medicationDispenses] and BMI, weight and height [bodyMeasures] (scopes patient/MedicationStatement.read, " +
        "patient/MedicationDispense.read and patient/Observation.read; or in SMART v2 patient/MedicationStatement.rs, " +
        "patient/MedicationDispense.rs and patient/Observation.rs). Fetched when not prefetched only if another key is being " +
        "fetched for the same call, with the same token: imaging AI knee KL grades [kneeKlGrades] and procedures (knee " +
        "replacement) [procedures] (scopes patient/Observation.read and patient/Procedure.read; or in SMART v2 " +
        "patient/Observation.rs and patient/Procedure.rs); a paged one's next pages are fetched whenever the token allows, else " +
        "its first page is used and the card says so.",
    );
    for (const template of Object.values<string>(service.prefetch)) {
      const tokens = template.match(/\{\{[^}]*\}\}/g) ?? [];
      expect(tokens.length).toBeGreaterThan(0);
      expect(tokens.every((t) => t === "{{context.patientId}}")).toBe(true);
    }
  });

  it("answers /healthz without a token, with the model's version", async () => {
    const res = await svc.call("GET", "/healthz", { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", model: { name: "deep-koa", version: expect.any(String) } });
  });

  it("serves the model card that cards link to: a page for a browser, the Markdown on request", async () => {
    const browser = await fetch(`${svc.url}/model-card`, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    expect(browser.status).toBe(200);
    expect(browser.headers.get("content-type")).toContain("text/html");
    const page = await browser.text();
    expect(page).toContain("<h1>");
    expect(page).toContain(MODEL_DISCLAIMER);
    const markdown = await fetch(`${svc.url}/model-card`, { headers: { accept: "text/markdown" } });
    expect(markdown.headers.get("content-type")).toContain("text/markdown");
    expect(await markdown.text()).toMatch(/^# /);
  });

  it("answers a method a path does not serve with 405 and the methods it does, and an unknown path with 404", async () => {
    const getHook = await svc.call("GET", HOOK_PATH);
    expect(getHook.status).toBe(405);
    expect(getHook.headers.get("allow")).toBe("POST");
    expect(getHook.body).toMatchObject({ resourceType: "OperationOutcome", issue: [{ code: "not-supported", diagnostics: "GET is not supported here; use POST" }] });
    const getFeedback = await svc.call("GET", `${HOOK_PATH}/feedback`);
    expect(getFeedback.status).toBe(405);
    expect(getFeedback.headers.get("allow")).toBe("POST");
    const postDiscovery = await svc.call("POST", "/cds-services", { body: {} });
    expect(postDiscovery.status).toBe(405);
    expect(postDiscovery.headers.get("allow")).toBe("GET");
    expect((await svc.call("GET", "/cds-services/no-such-service")).status).toBe(404);
  });

  it("lets an EHR frame the model card, and nothing else the service serves", async () => {
    const card = await fetch(`${svc.url}/model-card`);
    expect(card.headers.get("x-frame-options")).toBeNull();
    const csp = card.headers.get("content-security-policy")!;
    expect(csp).toContain("frame-ancestors *");
    // Its other protections stay.
    expect(csp).toContain("script-src 'self'");
    const health = await fetch(`${svc.url}/healthz`);
    expect(health.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(health.headers.get("content-security-policy")).toContain("frame-ancestors 'self'");
  });

  it("sends security headers and CORS for browser-based EHRs", async () => {
    const res = await fetch(`${svc.url}${HOOK_PATH}`, {
      method: "OPTIONS",
      headers: {
        origin: "https://ehr.browser.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type,accept,accept-language,x-requested-with",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase().split(",")).toEqual(["authorization", "content-type", "accept", "accept-language", "x-requested-with"]);
    const refused = await fetch(`${svc.url}${HOOK_PATH}`, { method: "POST", headers: { origin: "https://ehr.browser.example" } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("access-control-expose-headers")?.split(",")).toEqual(expect.arrayContaining(["WWW-Authenticate", "Retry-After"]));
    const get = await svc.call("GET", "/cds-services");
    expect(get.headers.get("x-content-type-options")).toBe("nosniff");
    expect(get.headers.get("x-powered-by")).toBeNull();
  });

  it("404 with an OperationOutcome for an unknown service or path", async () => {
    for (const path of ["/cds-services/no-such-service", "/nothing-here"]) {
      const res = await svc.call("POST", path, { body: hookBody() });
      expect(res.status).toBe(404);
      expect(res.body.issue[0].code).toBe("not-found");
    }
  });

  it("400 for malformed JSON", async () => {
    const res = await svc.call("POST", HOOK_PATH, { rawBody: '{"hook": "patient-view",' });
    expect(res.status).toBe(400);
    expect(res.body.issue[0].diagnostics).toMatch(/not valid JSON/);
  });

  it("400 for a body whose bytes are not UTF-8; UTF-8 beyond ASCII is read", async () => {
    const body = hookBody({ prefetch: fullPrefetch() });
    const text = JSON.stringify(body).replace('"resourceType":"Patient"', '"resourceType":"Patient","name":[{"text":"@@"}]');
    const utf8 = await svc.call("POST", HOOK_PATH, { rawBody: text.replace("@@", "Zoë Ångström 🦵") });
    expect(utf8.status).toBe(200);
    const [before, after] = text.split("@@") as [string, string];
    // "Zoë" as a Latin-1 writer encodes it: 0xEB opens a three-byte UTF-8 sequence that never comes.
    const res = await svc.call("POST", HOOK_PATH, { rawBody: new Blob([before + "Zo", Uint8Array.of(0xeb), after]) });
    expect(res.status).toBe(400);
    expect(res.body.issue[0].diagnostics).toBe("Request body is not valid UTF-8");
  });

  it("415 for a body that is not JSON", async () => {
    const res = await svc.call("POST", HOOK_PATH, { rawBody: "hook=patient-view", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(415);
  });

  it("400 for a wrong hook, naming it", async () => {
    const res = await svc.call("POST", HOOK_PATH, { body: { ...hookBody(), hook: "order-sign" } });
    expect(res.status).toBe(400);
    expect(res.body.issue[0].diagnostics).toContain("order-sign");
  });

  it("400 for missing context fields and a bad hookInstance, naming the fields", async () => {
    const noPatient = { ...hookBody(), context: { userId: "Practitioner/1" } };
    const res = await svc.call("POST", HOOK_PATH, { body: noPatient });
    expect(res.status).toBe(400);
    expect(res.body.issue[0].diagnostics).toContain("patientId");
    const badInstance = await svc.call("POST", HOOK_PATH, { body: { ...hookBody(), hookInstance: "not-a-uuid" } });
    expect(badInstance.status).toBe(400);
    expect(badInstance.body.issue[0].diagnostics).toContain("hookInstance");
  });

  it("a fhirAuthorization without fhirServer cannot be used: answered from a complete prefetch, 412 when data must be fetched", async () => {
    const body = hookBody({ fhirServer: "https://fhir.test.example/r4", prefetch: fullPrefetch() });
    delete body.fhirServer;
    expect((await svc.call("POST", HOOK_PATH, { body })).status).toBe(200);
    delete body.prefetch;
    const res = await svc.call("POST", HOOK_PATH, { body });
    expect(res.status).toBe(412);
    expect(res.body.issue[0].diagnostics).toContain("fhirAuthorization is not usable");
  });

  it("413 with an OperationOutcome for an oversized body", async () => {
    const body = hookBody();
    (body.context as Record<string, unknown>).padding = "x".repeat(30_000);
    const res = await svc.call("POST", HOOK_PATH, { body });
    expect(res.status).toBe(413);
    expect(res.body.resourceType).toBe("OperationOutcome");
    expect(res.body.issue[0].code).toBe("too-costly");
  });
});

describe("rate limiting per issuer", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService({ config: { limits: { rateLimitPerWindow: 3, rateWindowMs: 60_000 } } });
  });
  afterAll(() => svc.close());

  it("answers 429 with an OperationOutcome once the issuer's budget is spent", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await svc.call("GET", "/cds-services")).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });
});

describe("bench floor endpoint", () => {
  it("exists only when benchFloorEndpoint is set, and validates like the hook", async () => {
    const off = await startTestService();
    try {
      expect((await off.call("POST", "/bench/floor", { body: hookBody(), token: null })).status).toBe(404);
    } finally {
      await off.close();
    }
    const on = await startTestService({ config: { benchFloorEndpoint: true } });
    try {
      const ok = await on.call("POST", "/bench/floor", { body: hookBody(), token: null });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ cards: [] });
      const bad = await on.call("POST", "/bench/floor", { body: { ...hookBody(), hook: "order-sign" }, token: null });
      expect(bad.status).toBe(400);
    } finally {
      await on.close();
    }
  });
});

describe("startup warnings", () => {
  it("says plain http is reached too when an issuer has no fhirServers and fhir.allowHttp is on", async () => {
    for (const allowHttp of [false, true]) {
      const log = captureLog();
      const svc = await startTestService({ logger: log.logger, config: { fhir: { allowHttp } } });
      await svc.close();
      const warning = log.entries().find((e) => String(e.msg).startsWith("issuer has no fhirServers allow-list"));
      expect(warning?.msg).toBe(
        `issuer has no fhirServers allow-list: the fetch fallback will call ${allowHttp ? "any https or plain http fhirServer (fhir.allowHttp is on)" : "any https fhirServer"} it names`,
      );
    }
  });
});
