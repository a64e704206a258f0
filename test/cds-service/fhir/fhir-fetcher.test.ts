/**
 * The fetch fallback against an msw-mocked EHR FHIR server: paging with a page limit, the
 * EHR's 401 and 500, a slow server (timeout: 412 for required data, a caveat for optional
 * data), and next links that try to leave the server.
 */
import type { Resource } from "fhir/r4";
import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { hookBody, patientRecord, searchset } from "../support/hook-requests.ts";
import { mockFhirServer, type MockFhirOptions } from "../support/mock-fhir-server.ts";
import { FHIR_BASE, HOOK_PATH, startTestService, type TestService } from "../support/test-service.ts";
import { condition, icd10 } from "../../support/fhir-builders.ts";
import type { CdsConfigInput } from "../../../cds-service/config.ts";
import { createTestEhr } from "../support/test-ehr.ts";

const record = patientRecord();
const base: Resource[] = [record.patient, ...record.conditions, ...record.encounters, ...record.medicationRequests, ...record.bodyMeasures];
/** Knee pain every two months for three years: many Conditions, many pages. */
const manyConditions: Resource[] = Array.from({ length: 18 }, (_, i) =>
  condition(icd10("M25.561"), { id: `kp${i}`, onsetDateTime: `${2021 + Math.floor(i / 6)}-${String(1 + (i % 6) * 2).padStart(2, "0")}-15` }),
);

let svc: TestService | undefined;
afterEach(async () => {
  await svc?.close();
  svc = undefined;
});

async function start(options: Partial<MockFhirOptions> = {}, config: Partial<CdsConfigInput> = {}) {
  const fhir = mockFhirServer({ resources: base, ...options });
  svc = await startTestService({ handlers: fhir.handlers, config });
  return { svc, fhir };
}

const fetchAll = (s: TestService, fhirServer = FHIR_BASE) => s.call("POST", HOOK_PATH, { body: hookBody({ prefetch: undefined, fhirServer }) });

describe("fetch fallback", () => {
  it("fetches every key with the EHR's access token and follows every page", async () => {
    const { svc, fhir } = await start({ resources: [...base, ...manyConditions] }, { fhir: { pageSize: 5, pageLimit: 10 } });
    const res = await fetchAll(svc);
    expect(res.status).toBe(200);
    expect(res.body.cards).toHaveLength(1);
    const conditionPages = fhir.requests.filter((r) => r.startsWith("Condition"));
    expect(conditionPages).toHaveLength(Math.ceil((record.conditions.length + manyConditions.length) / 5));
    expect(conditionPages[0]).toBe("Condition?patient=p1&_count=5");
  });

  it("gives the same card whether the data came by prefetch or by fetch", async () => {
    const { svc } = await start();
    const fetched = await fetchAll(svc);
    const prefetched = await svc.call("POST", HOOK_PATH, { body: hookBody() });
    expect(fetched.body.cards[0].summary).toBe(prefetched.body.cards[0].summary);
    expect(fetched.body.cards[0].detail).toBe(prefetched.body.cards[0].detail);
  });

  it("412 when a search needs more pages than the page limit", async () => {
    const { svc } = await start({ resources: [...base, ...manyConditions] }, { fhir: { pageSize: 2, pageLimit: 3 } });
    const res = await fetchAll(svc);
    expect(res.status).toBe(412);
    expect(res.body.issue[0].diagnostics).toMatch(/conditions.*more than 3 pages/);
  });

  it("412 when the EHR answers 401 (a token the FHIR server does not accept)", async () => {
    const { svc } = await start({ accessToken: "another-token" });
    const res = await fetchAll(svc);
    expect(res.status).toBe(412);
    expect(res.body.issue[0].diagnostics).toContain("401");
  });

  it("412 when the EHR answers 500 for required data", async () => {
    const { svc } = await start({ failures: { Condition: { status: 500 } } });
    const res = await fetchAll(svc);
    expect(res.status).toBe(412);
    expect(res.body.issue[0].diagnostics).toMatch(/conditions \(FHIR server answered 500\)/);
  });

  it("a card with a caveat when the EHR answers 500 for optional data", async () => {
    const { svc } = await start({ failures: { MedicationStatement: { status: 500 } } });
    const res = await fetchAll(svc);
    expect(res.status).toBe(200);
    expect(res.body.cards[0].detail).toContain("could not supply medication statements");
  });

  it("412 when the context patient is not on the FHIR server", async () => {
    const { svc } = await start({ resources: base.filter((r) => r.resourceType !== "Patient") });
    expect((await fetchAll(svc)).status).toBe(412);
  });

  it("slow server: 412 within the timeout for required data", async () => {
    const { svc } = await start({ failures: { Condition: { delayMs: 3000 } } });
    const started = Date.now();
    const res = await fetchAll(svc);
    expect(res.status).toBe(412);
    expect(res.body.issue[0].diagnostics).toContain("timed out");
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it("slow server: the card without the optional data, with a caveat", async () => {
    const { svc } = await start({ failures: { Observation: { delayMs: 3000 } } });
    const res = await fetchAll(svc);
    expect(res.status).toBe(200);
    expect(res.body.cards[0].detail).toContain("could not supply BMI, weight and height");
  });

  it("never follows a next link to another host (the token would leak)", async () => {
    let leaked = false;
    const { svc } = await start(
      { resources: [...base, ...manyConditions], rewriteNext: (u) => u.replace("https://fhir.test.example", "https://evil.example") },
      { fhir: { pageSize: 5 } },
    );
    svc.msw.use(http.get("https://evil.example/*", () => { leaked = true; return HttpResponse.json({}); }));
    const res = await fetchAll(svc);
    expect(res.status).toBe(412);
    expect(leaked).toBe(false);
  });

  it("refuses a plain-http fhirServer unless allowHttp is set", async () => {
    const { svc } = await start();
    const res = await fetchAll(svc, "http://fhir.test.example/r4");
    expect(res.status).toBe(412);
    expect(res.body.issue[0].diagnostics).toContain("not https");
  });

  it("stops reading a FHIR response that would pass the byte budget (a hostile server cannot exhaust memory)", async () => {
    const { svc } = await start({}, { fhir: { maxResponseBytes: 64 * 1024 } });
    let bytesSent = 0;
    const chunk = new TextEncoder().encode(`{"resourceType":"Bundle","type":"searchset","entry":[${'{"resource":{"resourceType":"Condition"}},'.repeat(400)}`);
    // An endless Bundle: without a budget the service would read until the call's timeout.
    svc.msw.use(
      http.get(`${FHIR_BASE}/Condition`, () =>
        new HttpResponse(
          new ReadableStream({
            pull(controller) {
              bytesSent += chunk.length;
              controller.enqueue(chunk);
            },
          }),
          { headers: { "content-type": "application/fhir+json" } },
        ),
      ),
    );
    const res = await fetchAll(svc);
    expect(res.status).toBe(412);
    expect(res.body.issue[0].diagnostics).toMatch(/conditions \(FHIR response larger than 65536 bytes\)/);
    expect(bytesSent).toBeLessThan(64 * 1024 * 4);
  });

  it("shares the byte budget between all fetches of one call", async () => {
    const { svc } = await start({}, { fhir: { maxResponseBytes: 1024 } });
    const res = await fetchAll(svc);
    expect(res.status).toBe(412);
    expect(res.body.issue[0].diagnostics).toContain("FHIR response larger than 1024 bytes");
  });

  it("reads a page of 250,000 resources (a server that ignores _count) and scores the patient", async () => {
    const { svc } = await start({}, { fhir: { maxResponseBytes: 512 * 1024 * 1024 } });
    const expected = await fetchAll(svc);
    // Copies of the record's first body measure (same day, same value): model input that must not
    // change the answer. Spreading a page, or the gathered set, this size into an argument list
    // throws RangeError (past about 120,000 arguments on Node 20's default stack).
    const first = record.bodyMeasures[0]!;
    const copies = Array.from({ length: 250_000 }, (_, i) => ({ ...first, id: `copy${i}` }));
    svc.msw.use(http.get(`${FHIR_BASE}/Observation`, () => HttpResponse.json(searchset([...record.bodyMeasures, ...copies]))));
    const res = await fetchAll(svc);
    expect(res.status).toBe(200);
    expect(res.body.cards[0].detail).not.toContain("could not supply");
    expect(res.body.cards[0].summary).toBe(expected.body.cards[0].summary);
    expect(res.body.cards[0].detail).toBe(expected.body.cards[0].detail);
  });

  it("412 when the FHIR server sends bytes that are not UTF-8 (decoded anyway, a code would change unseen)", async () => {
    const { svc } = await start();
    const json = JSON.stringify(searchset(record.conditions)).replace(/"code":"([^"]+)"/, '"code":"$1@@"');
    const [before, after] = json.split("@@") as [string, string];
    const bytes = Buffer.concat([Buffer.from(before), Buffer.from([0xff]), Buffer.from(after)]);
    svc.msw.use(http.get(`${FHIR_BASE}/Condition`, () => new HttpResponse(bytes, { headers: { "content-type": "application/fhir+json" } })));
    const res = await fetchAll(svc);
    expect(res.status).toBe(412);
    expect(res.body.issue[0].diagnostics).toMatch(/conditions \(FHIR response is not valid UTF-8\)/);
  });

  it("reads a FHIR response that starts with a UTF-8 byte order mark (RFC 8259 8.1: a parser MAY ignore it)", async () => {
    const { svc } = await start();
    const expected = await fetchAll(svc);
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(JSON.stringify(searchset(record.conditions)))]);
    svc.msw.use(http.get(`${FHIR_BASE}/Condition`, () => new HttpResponse(bytes, { headers: { "content-type": "application/fhir+json" } })));
    const res = await fetchAll(svc);
    expect(res.status).toBe(200);
    expect(res.body.cards[0].summary).toBe(expected.body.cards[0].summary);
    expect(res.body.cards[0].detail).toBe(expected.body.cards[0].detail);
  });

  it("412 when a page of a required search reports an error beside its results; a warning is no failure", async () => {
    const { svc } = await start();
    const expected = await fetchAll(svc);
    const withIssue = (severity: string) => {
      const page = searchset(record.conditions);
      return { ...page, entry: [...page.entry!, { resource: { resourceType: "OperationOutcome", issue: [{ severity, code: "incomplete" }] }, search: { mode: "outcome" } }] };
    };
    svc.msw.use(http.get(`${FHIR_BASE}/Condition`, () => HttpResponse.json(withIssue("warning"))));
    expect((await fetchAll(svc)).body.cards[0].detail).toBe(expected.body.cards[0].detail);
    svc.msw.use(http.get(`${FHIR_BASE}/Condition`, () => HttpResponse.json(withIssue("error"))));
    const res = await fetchAll(svc);
    expect(res.status).toBe(412);
    expect(res.body.issue[0].diagnostics).toBe("Required data could not be obtained: conditions (FHIR search reports an error (OperationOutcome entry))");
  });

  it("412 when the FHIR server sends something that is not a Bundle", async () => {
    const { svc } = await start();
    svc.msw.use(http.get(`${FHIR_BASE}/Condition`, () => HttpResponse.json({ resourceType: "Patient", id: "p1" })));
    const res = await fetchAll(svc);
    expect(res.status).toBe(412);
    expect(res.body.issue[0].diagnostics).toContain("did not return a Bundle");
  });
});

describe("fhirServer allow-list per issuer", () => {
  it("fetches from a listed fhirServer and never calls an unlisted one (no SSRF, no token sent)", async () => {
    const ehr = await createTestEhr();
    const fhir = mockFhirServer({ resources: base });
    let internalCalled = false;
    svc = await startTestService({
      ehr,
      handlers: [...fhir.handlers, http.get("https://internal.example/*", () => { internalCalled = true; return HttpResponse.json({}); })],
      config: { issuers: [{ iss: ehr.iss, jwksUrl: ehr.jwksUrl, fhirServers: [`${FHIR_BASE}/`] }] },
    });
    expect((await fetchAll(svc)).status).toBe(200);
    const refused = await fetchAll(svc, "https://internal.example/r4");
    expect(refused.status).toBe(412);
    expect(refused.body.issue[0].diagnostics).toContain("fhirServer is not on this issuer's allow-list");
    expect(internalCalled).toBe(false);
    // A path outside the listed base is another server as far as the token is concerned.
    expect((await fetchAll(svc, "https://fhir.test.example/other")).status).toBe(412);
  });
});
