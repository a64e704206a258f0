/**
 * The Bulk Data client's single requests (the token, the kick-off, the export's DELETE, the
 * Group's PUT) against a FHIR server (mocked by msw) that answers them busy: 429, or 503 with
 * Retry-After (RFC 9110; the Bulk Data IG). Busy is the server asking the client to come back
 * later, not an error: each waits Retry-After, as many times as it is asked, within a time limit,
 * as the status poll and the downloads do; only real errors count against `retry.attempts`.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import { http, HttpResponse } from "msw";
import { beforeAll, describe, expect, it } from "vitest";
import { backendServicesToken } from "../../../population/bulk/backend-services-token.ts";
import type { BulkExportRequest } from "../../../population/bulk/bulk-export.ts";
import { exportFromFhir } from "../../../population/bulk/export-input.ts";
import { postGroup } from "../../../population/bulk/post-group.ts";
import { tempDir } from "../fixtures.ts";
import { mockedServer, runPatientExport } from "./export-harness.ts";

const BASE = "https://ehr.example/fhir";
/** One try: any busy answer counted as a try would end the request at once. */
const ONE_TRY = { attempts: 1, baseDelayMs: 5, maxDelayMs: 20 };
const MANIFEST = { transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [], error: [] };

const { server, seen } = mockedServer();

/** Answers busy twice (429, then 503 with Retry-After), then `done`. */
function busyTwiceThen(done: () => Response): () => Response {
  let n = 0;
  return () => {
    n++;
    if (n === 1) return new HttpResponse(null, { status: 429, headers: { "retry-after": "0" } });
    if (n === 2) return new HttpResponse(null, { status: 503, headers: { "retry-after": "0" } });
    return done();
  };
}

const runExport = (extra: Partial<BulkExportRequest> = {}) => runPatientExport({ fhirBaseUrl: BASE, parallel: 1, retry: ONE_TRY, ...extra });

const kickOffAccepted = () => new HttpResponse(null, { status: 202, headers: { "content-location": `${BASE}/export/1` } });
/** How many times the mocked server saw `request` ("METHOD /path") in this test. */
const count = (request: string) => seen.filter((call) => `${call.method} ${new URL(call.url).pathname}` === request).length;
/** Each busy answer is a line of the retry log. */
const busyRetries = (what: string) => [`${what}: HTTP 429, busy`, `${what}: HTTP 503, busy`];

describe("requests a server answers busy more times than retry.attempts", () => {
  it("the kick-off waits them out and starts the export once", async () => {
    server.use(
      http.get(`${BASE}/Patient/$export`, busyTwiceThen(kickOffAccepted)),
      http.get(`${BASE}/export/1`, () => HttpResponse.json(MANIFEST)),
      http.delete(`${BASE}/export/1`, () => new HttpResponse(null, { status: 202 })),
    );
    const { done, retries } = runExport();
    await done;
    expect(count("GET /fhir/Patient/$export")).toBe(3);
    expect(retries).toEqual(busyRetries("export kick-off"));
  }, 10_000);

  it("the kick-off stops at once, saying so, when Retry-After is past the poll's time limit (--poll-hours)", async () => {
    server.use(http.get(`${BASE}/Patient/$export`, () => new HttpResponse(null, { status: 503, headers: { "retry-after": "120" } })));
    await expect(runExport({ pollLimitMs: 60_000 }).done).rejects.toThrow(
      /^export kick-off: the server was still busy after 0 s \(1 answer 429, or 503 with Retry-After; the next try would be in 120 s, past the time limit\)$/,
    );
    expect(count("GET /fhir/Patient/$export")).toBe(1);
  });

  it("the export's DELETE waits them out and deletes it", async () => {
    server.use(
      http.get(`${BASE}/Patient/$export`, kickOffAccepted),
      http.get(`${BASE}/export/1`, () => HttpResponse.json(MANIFEST)),
      http.delete(`${BASE}/export/1`, busyTwiceThen(() => new HttpResponse(null, { status: 202 }))),
    );
    const { done, events, retries } = runExport();
    await done;
    expect(count("DELETE /fhir/export/1")).toBe(3);
    expect(events.map((e) => e.event)).not.toContain("export not deleted");
    expect(retries).toEqual(busyRetries("DELETE export"));
  }, 10_000);

  describe("with a client key", () => {
    let keyFile: string;
    beforeAll(async () => {
      const pair = await generateKeyPair("ES384", { extractable: true });
      keyFile = join(tempDir("patella-busy-key-"), "private.jwk.json");
      writeFileSync(keyFile, JSON.stringify({ ...(await exportJWK(pair.privateKey)), alg: "ES384" }), { mode: 0o600 });
    });
    const smartConfiguration = http.get(`${BASE}/.well-known/smart-configuration`, () => HttpResponse.json({ token_endpoint: `${BASE}/token` }));

    it("the token request waits them out and gets the token", async () => {
      server.use(smartConfiguration, http.post(`${BASE}/token`, busyTwiceThen(() => HttpResponse.json({ access_token: "tok-1", token_type: "bearer", expires_in: 300 }))));
      const retries: string[] = [];
      const token = await backendServicesToken(BASE, { clientId: "c", keyFile, scope: "system/Patient.rs" }, { ...ONE_TRY, onRetry: (why) => retries.push(why) });
      expect(await token()).toBe("tok-1");
      expect(count("POST /fhir/token")).toBe(3);
      expect(retries).toEqual(busyRetries("token"));
    }, 10_000);

    it("the token request stops at once, saying so, when Retry-After is past the export's --poll-hours", async () => {
      server.use(smartConfiguration, http.post(`${BASE}/token`, () => new HttpResponse(null, { status: 429, headers: { "retry-after": "120" } })));
      const options = { fhirBaseUrl: BASE, clientId: "c", keyFile, jobObservationsOnly: false, parallel: 1, outDir: tempDir("patella-busy-token-"), onEvent: () => undefined };
      await expect(exportFromFhir({ ...options, retry: ONE_TRY, pollLimitMs: 60_000 })).rejects.toThrow(
        /^token: the server was still busy after 0 s \(1 answer 429, or 503 with Retry-After; the next try would be in 120 s, past the time limit\)$/,
      );
      expect(count("POST /fhir/token")).toBe(1);
    });
  });

  it("the Group's PUT (--post-group) waits them out and puts it once", async () => {
    const groupFile = join(tempDir("patella-busy-group-"), "high-risk-group.json");
    writeFileSync(groupFile, JSON.stringify({ resourceType: "Group", id: "patella-high-risk", type: "person", actual: true }));
    server.use(http.put(`${BASE}/Group/patella-high-risk`, busyTwiceThen(() => HttpResponse.json({ resourceType: "Group", id: "patella-high-risk" }))));
    const retries: string[] = [];
    expect(await postGroup(BASE, groupFile, async () => "tok", { ...ONE_TRY, onRetry: (why) => retries.push(why) })).toBe(`${BASE}/Group/patella-high-risk`);
    expect(count("PUT /fhir/Group/patella-high-risk")).toBe(3);
    expect(retries).toEqual(busyRetries("post Group"));
  }, 10_000);
});
