/**
 * The Bulk Data client against a hostile or broken FHIR server (mocked by msw): where the bearer
 * token may go, manifests of the wrong shape, a status endpoint that never finishes, downloads
 * that fail, and the client's own key file. Each server here answers what a real one might, and
 * the client must fail with a message that names the problem, or carry on safely.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import { http, HttpResponse, delay, type JsonBodyType } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { backendServicesToken } from "../../../population/bulk/backend-services-token.ts";
import { bulkExport } from "../../../population/bulk/bulk-export.ts";
import { exportFromFhir } from "../../../population/bulk/export-input.ts";
import { tempDir } from "../fixtures.ts";

const BASE = "https://ehr.example/fhir";
const EVIL = "https://files.evil.example";
const TOKEN = "tok-for-ehr-only";
const FAST_RETRY = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 };
const PATIENT_LINE = `${JSON.stringify({ resourceType: "Patient", id: "p1" })}\n`;

/** Every request the mocked servers saw: URL and Authorization header. */
const seen: { method: string; url: string; authorization: string | null }[] = [];
const server = setupServer();
server.events.on("request:start", ({ request }) => seen.push({ method: request.method, url: request.url, authorization: request.headers.get("authorization") }));

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
});
afterAll(() => server.close());

/** A kick-off answering 202 with `location` (or none), DELETE of the status URL accepted. */
function kickOffAnswers(location: string | null) {
  return http.get(`${BASE}/Patient/$export`, () => new HttpResponse(null, { status: 202, headers: location === null ? {} : { "content-location": location } }));
}

/** A server whose export is done at once with `manifest`, and whose files are all Patients. */
function serverWithManifest(manifest: JsonBodyType, fileHandlers = [http.get(/\/files\//, () => new HttpResponse(PATIENT_LINE))]) {
  server.use(
    kickOffAnswers(`${BASE}/export/1`),
    http.get(`${BASE}/export/1`, () => HttpResponse.json(manifest)),
    http.delete(`${BASE}/export/1`, () => new HttpResponse(null, { status: 202 })),
    ...fileHandlers,
  );
}

function runExport(extra: Partial<Parameters<typeof bulkExport>[0]> = {}) {
  const events: { event: string; fields: Record<string, unknown> }[] = [];
  const dir = join(tempDir("patella-hostile-"), "export");
  const done = bulkExport({
    fhirBaseUrl: BASE,
    types: ["Patient"],
    parallel: 2,
    retry: FAST_RETRY,
    token: async () => TOKEN,
    dir,
    onEvent: (event, fields = {}) => events.push({ event, fields }),
    ...extra,
  });
  return { done, dir, events };
}

const withToken = () => seen.filter((call) => call.authorization !== null).map((call) => new URL(call.url).origin);

describe("where the bearer token goes", () => {
  it("refuses output files on another host while requiresAccessToken is true, before sending the token there", async () => {
    serverWithManifest({ transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [{ type: "Patient", url: `${EVIL}/files/p.ndjson` }], error: [] });
    const { done } = runExport();
    await expect(done).rejects.toThrow(/https:\/\/files\.evil\.example.*not the FHIR server/);
    expect(new Set(withToken())).toEqual(new Set(["https://ehr.example"]));
    expect(seen.some((call) => call.url.startsWith(EVIL))).toBe(false);
  });

  it("refuses a file URL on the FHIR server's host over plain http (another scheme is another origin)", async () => {
    serverWithManifest({ transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [{ type: "Patient", url: "http://ehr.example/fhir/files/p.ndjson" }], error: [] });
    await expect(runExport().done).rejects.toThrow(/http:\/\/ehr\.example.*not the FHIR server/);
    expect(seen.some((call) => call.url.startsWith("http:"))).toBe(false);
  });

  it("downloads files of another host without the token when requiresAccessToken is false", async () => {
    serverWithManifest({ transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: false, output: [{ type: "Patient", url: `${EVIL}/files/p.ndjson` }], error: [] });
    const { done, dir } = runExport();
    await done;
    expect(readFileSync(join(dir, "files", "Patient.00000.ndjson"), "utf8")).toBe(PATIENT_LINE);
    const download = seen.find((call) => call.url === `${EVIL}/files/p.ndjson`)!;
    expect(download.authorization).toBeNull();
  });

  it("refuses a status URL (Content-Location) on another host, and polls nothing there", async () => {
    server.use(kickOffAnswers(`${EVIL}/status/1`));
    const { done, dir } = runExport();
    await expect(done).rejects.toThrow(/Content-Location.*https:\/\/files\.evil\.example.*not the FHIR server/);
    expect(seen.map((call) => new URL(call.url).origin)).toEqual(["https://ehr.example"]);
    // Nothing saved: a run that follows does not poll the other host either.
    expect(existsSync(join(dir, "export-state.json"))).toBe(false);
  });

  it("reads a relative Content-Location against the kick-off URL", async () => {
    server.use(
      kickOffAnswers("/fhir/export/1"),
      http.get(`${BASE}/export/1`, () => HttpResponse.json({ transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [{ type: "Patient", url: `${BASE}/files/p.ndjson` }], error: [] })),
      http.delete(`${BASE}/export/1`, () => new HttpResponse(null, { status: 202 })),
      http.get(`${BASE}/files/p.ndjson`, () => new HttpResponse(PATIENT_LINE)),
    );
    const { done, dir } = runExport();
    await done;
    expect(readdirSync(join(dir, "files"))).toEqual(["Patient.00000.ndjson"]);
    expect(JSON.parse(readFileSync(join(dir, "export-state.json"), "utf8")).statusUrl).toBe(`${BASE}/export/1`);
  });
});

describe("kick-off", () => {
  it("does not quote a kick-off answered with the data itself (200 and a Bundle of patients)", async () => {
    const bundle = { resourceType: "Bundle", type: "searchset", entry: [{ resource: { resourceType: "Patient", id: "p1", name: [{ family: "Doe", given: ["Jane"] }] } }] };
    server.use(http.get(`${BASE}/Patient/$export`, () => HttpResponse.json(bundle)));
    const error = await runExport().done.catch((e: Error) => e);
    expect((error as Error).message).toBe("export kick-off: HTTP 200");
  });

  it("quotes what an OperationOutcome says (the server's word on why)", async () => {
    const outcome = { resourceType: "OperationOutcome", issue: [{ severity: "error", code: "not-supported", diagnostics: "_typeFilter is not supported" }] };
    server.use(http.get(`${BASE}/Patient/$export`, () => HttpResponse.json(outcome, { status: 400 })));
    await expect(runExport().done).rejects.toThrow(/^export kick-off: HTTP 400 _typeFilter is not supported$/);
  });

  it("does not kick off again when a 202 has no Content-Location: each kick-off starts an export the client can never cancel", async () => {
    server.use(kickOffAnswers(null));
    await expect(runExport().done).rejects.toThrow(/202 without Content-Location/);
    expect(seen.filter((call) => call.url.includes("$export"))).toHaveLength(1);
  });
});

describe("manifest shapes", () => {
  const cases: [string, JsonBodyType, RegExp][] = [
    ["no output array", { transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, error: [] }, /output is not an array/],
    ["an output entry without url", { transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [{ type: "Patient" }], error: [] }, /output\[0\]\.url/],
    ["an output entry without type", { transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [{ url: `${BASE}/files/p.ndjson` }], error: [] }, /output\[0\]\.type/],
    ["no transactionTime", { requiresAccessToken: true, output: [], error: [] }, /transactionTime/],
    ["a transactionTime that is a date, not an instant", { transactionTime: "2026-01-01", requiresAccessToken: true, output: [], error: [] }, /transactionTime/],
    ["a transactionTime in month 13", { transactionTime: "2026-13-01T00:00:00Z", requiresAccessToken: true, output: [], error: [] }, /transactionTime/],
    ["not an object", [1, 2], /not a JSON object/],
  ];
  for (const [what, manifest, message] of cases) {
    it(`fails on ${what}, naming it, without retrying and without keeping the manifest`, async () => {
      serverWithManifest(manifest);
      const { done, dir, events } = runExport();
      await expect(done).rejects.toThrow(message);
      expect(events.filter((e) => e.event === "retry")).toEqual([]);
      expect(JSON.parse(readFileSync(join(dir, "export-state.json"), "utf8")).manifest).toBeUndefined();
    });
  }

  it("fails on a status answer that is not JSON, saying so", async () => {
    server.use(kickOffAnswers(`${BASE}/export/1`), http.get(`${BASE}/export/1`, () => new HttpResponse("<html>Patient Jane Doe</html>", { status: 200 })));
    const error = await runExport().done.catch((e: Error) => e);
    expect(String(error)).toMatch(/export status: the answer is not JSON/);
    expect(String(error)).not.toContain("Jane");
  });

  it("downloads a URL listed twice once", async () => {
    const url = `${BASE}/files/p.ndjson`;
    serverWithManifest({ transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [{ type: "Patient", url }, { type: "Patient", url }], error: [] });
    const { done, dir } = runExport();
    await done;
    expect(readdirSync(join(dir, "files"))).toHaveLength(1);
    expect(seen.filter((call) => call.url === url)).toHaveLength(1);
  });

  it("says how many files of deleted resources the manifest lists (not applied: no earlier export is kept)", async () => {
    serverWithManifest({
      transactionTime: "2026-01-01T00:00:00Z",
      requiresAccessToken: true,
      output: [{ type: "Patient", url: `${BASE}/files/p.ndjson` }],
      deleted: [{ type: "Bundle", url: `${BASE}/files/del1.ndjson` }, { type: "Bundle", url: `${BASE}/files/del2.ndjson` }],
      error: [],
    });
    const { done, events } = runExport();
    await done;
    expect(events.find((e) => e.event.startsWith("export lists deleted"))?.fields).toEqual({ files: 2 });
    expect(seen.filter((call) => call.url.includes("/del"))).toEqual([]);
  });

  it("downloads the error files (OperationOutcome NDJSON) apart from the data, and says how many issues they hold", async () => {
    const outcome = (text: string) => JSON.stringify({ resourceType: "OperationOutcome", issue: [{ severity: "error", code: "processing", details: { text } }] });
    serverWithManifest(
      {
        transactionTime: "2026-01-01T00:00:00Z",
        requiresAccessToken: true,
        output: [{ type: "Patient", url: `${BASE}/files/p.ndjson` }],
        error: [{ type: "OperationOutcome", url: `${BASE}/errors/e.ndjson` }],
      },
      [
        http.get(`${BASE}/files/p.ndjson`, () => new HttpResponse(PATIENT_LINE)),
        http.get(`${BASE}/errors/e.ndjson`, () => new HttpResponse(`${outcome("Observation/1 failed")}\n${outcome("Condition/2 failed")}\n`)),
      ],
    );
    const { done, dir, events } = runExport();
    const { filesDir, errorOutcomes } = await done;
    expect(errorOutcomes).toBe(2);
    expect(readdirSync(filesDir)).toEqual(["Patient.00000.ndjson"]);
    expect(readdirSync(join(dir, "errors"))).toEqual(["OperationOutcome.00000.ndjson"]);
    expect(events.find((e) => e.event === "export reported errors")?.fields).toEqual({ files: 1, outcomes: 2, folder: join(dir, "errors") });
  });
});

describe("polling", () => {
  it("stops polling a status URL that answers 202 forever, with a message that says how to go on", async () => {
    server.use(kickOffAnswers(`${BASE}/export/1`), http.get(`${BASE}/export/1`, () => new HttpResponse(null, { status: 202, headers: { "retry-after": "1" } })));
    const { done, dir } = runExport({ pollLimitMs: 2_500 });
    // Polls at 0, 1 and 2 s; the next, at 3 s, would pass the limit.
    await expect(done).rejects.toThrow(/not ready after 2 s of polling.*run the same command again/);
    // The status URL is kept: the next run polls the same export.
    expect(JSON.parse(readFileSync(join(dir, "export-state.json"), "utf8")).statusUrl).toBe(`${BASE}/export/1`);
  }, 10_000);

  it("waits at least a second between polls when Retry-After says 0", async () => {
    server.use(kickOffAnswers(`${BASE}/export/1`), http.get(`${BASE}/export/1`, () => new HttpResponse(null, { status: 202, headers: { "retry-after": "0" } })));
    await expect(runExport({ pollLimitMs: 2_500 }).done).rejects.toThrow(/not ready/);
    // Polls at 0, 1 and 2 s (and perhaps one more as the limit falls), not thousands.
    expect(seen.filter((call) => call.url === `${BASE}/export/1`).length).toBeLessThanOrEqual(4);
  }, 10_000);

  it("logs at most 100 characters of X-Progress (the IG's bound; the text is the server's)", async () => {
    let polls = 0;
    server.use(
      kickOffAnswers(`${BASE}/export/1`),
      http.get(`${BASE}/export/1`, () =>
        ++polls === 1
          ? new HttpResponse(null, { status: 202, headers: { "retry-after": "0", "x-progress": "x".repeat(5000) } })
          : HttpResponse.json({ transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [], error: [] }),
      ),
      http.delete(`${BASE}/export/1`, () => new HttpResponse(null, { status: 202 })),
    );
    const { done, events } = runExport();
    await done;
    expect(events.find((e) => e.event === "export in progress")?.fields.progress).toBe("x".repeat(100));
  }, 10_000);

  it("tells how to start over when the server no longer has the export (404 on a resumed run)", async () => {
    server.use(kickOffAnswers(`${BASE}/export/1`), http.get(`${BASE}/export/1`, () => new HttpResponse(null, { status: 404 })));
    const { done, dir } = runExport();
    await expect(done).rejects.toThrow(new RegExp(`HTTP 404.*no longer has this export.*delete ${join(dir, "export-state.json").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  });
});

describe("the saved state", () => {
  it("names the state file, and says to delete it, when it is cut short", async () => {
    const dir = join(tempDir("patella-hostile-state-"), "export");
    mkdirSync(dir);
    const statePath = join(dir, "export-state.json");
    writeFileSync(statePath, '{\n  "kickOffUrl": "https://ehr.example/fhir/Patient/$export?_type=Pat');
    await expect(runExport({ dir }).done).rejects.toThrow(`${statePath} is not an export's state (cut short?): delete it to start a new export`);
    expect(seen).toEqual([]);
  });
});

describe("downloads", () => {
  it("stops taking files after one fails for good, and returns once the files under way are settled", async () => {
    const urls = Array.from({ length: 6 }, (_, i) => `${BASE}/files/f${i}.ndjson`);
    serverWithManifest({ transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: urls.map((url) => ({ type: "Patient", url })), error: [] }, [
      http.get(urls[0]!, () => new HttpResponse("gone", { status: 403 })),
      http.get(/\/files\//, async () => {
        await delay(100);
        return new HttpResponse(PATIENT_LINE);
      }),
    ]);
    await expect(runExport().done).rejects.toThrow(/HTTP 403/);
    await delay(400);
    // Two lanes: f0 failed at once, f1 was under way; nothing after it was asked for.
    expect(seen.filter((call) => call.url.includes("/files/")).map((call) => call.url)).toEqual(urls.slice(0, 2));
  });
});

describe("the private key", () => {
  it("is not quoted in the error when the key file is not JSON", async () => {
    const secret = "Zq8VxN3kLm0PwR7tYb2CjH5sDf9GaE4u";
    const file = join(tempDir("patella-badkey-"), "private.jwk.json");
    writeFileSync(file, `{"kty":"EC","crv":"P-384","d":${secret},"x":"a","y":"b"}`);
    const error = await backendServicesToken(BASE, { clientId: "c", keyFile: file, scope: "system/Patient.rs" }).catch((e: Error) => e);
    expect(String(error)).toContain(file);
    expect(String(error)).toMatch(/not JSON/);
    for (let i = 0; i + 4 <= secret.length; i++) expect(String(error)).not.toContain(secret.slice(i, i + 4));
  });
});

describe("the access token", () => {
  let keyFile: string;
  let issued = 0;
  beforeAll(async () => {
    const pair = await generateKeyPair("ES384", { extractable: true });
    keyFile = join(tempDir("patella-hostile-key-"), "private.jwk.json");
    writeFileSync(keyFile, JSON.stringify({ ...(await exportJWK(pair.privateKey)), alg: "ES384" }));
  });
  afterEach(() => {
    issued = 0;
  });
  const smartConfiguration = http.get(`${BASE}/.well-known/smart-configuration`, () => HttpResponse.json({ token_endpoint: `${BASE}/token` }));
  /** A token endpoint that issues tok-1, tok-2, ..., each for `expiresIn` seconds, granting `scope` when given. */
  const tokenEndpoint = (expiresIn: number, scope?: string) => [
    smartConfiguration,
    http.post(`${BASE}/token`, () => HttpResponse.json({ access_token: `tok-${++issued}`, expires_in: expiresIn, ...(scope === undefined ? {} : { scope }) })),
  ];
  const exportOptions = () => ({ fhirBaseUrl: BASE, clientId: "c", keyFile, bodyMeasureObservationsOnly: false, parallel: 1, outDir: tempDir("patella-hostile-token-"), onEvent: () => undefined, retry: FAST_RETRY });
  const oneFileManifest = { transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [{ type: "Patient", url: `${BASE}/files/p.ndjson` }], error: [] };

  it("asks for a new token when the file server refuses the one reused (401), and goes on", async () => {
    server.use(...tokenEndpoint(3600));
    // The first token is revoked by the time the files are fetched: only the second opens them.
    serverWithManifest(oneFileManifest, [
      http.get(`${BASE}/files/p.ndjson`, ({ request }) => (request.headers.get("authorization") === "Bearer tok-2" ? new HttpResponse(PATIENT_LINE) : new HttpResponse(null, { status: 401 }))),
    ]);
    const { filesDir } = await exportFromFhir(exportOptions());
    expect(readFileSync(join(filesDir, "Patient.00000.ndjson"), "utf8")).toBe(PATIENT_LINE);
    expect(issued).toBe(2);
  });

  it("reuses a token of 30 s for more than one request (half its lifetime), not one token a request", async () => {
    server.use(...tokenEndpoint(30));
    const token = await backendServicesToken(BASE, { clientId: "c", keyFile, scope: "system/Patient.rs" }, FAST_RETRY);
    expect([await token(), await token(), await token()]).toEqual(["tok-1", "tok-1", "tok-1"]);
    expect(issued).toBe(1);
  });

  it("asks once for the token that lanes need at the same time", async () => {
    server.use(smartConfiguration, http.post(`${BASE}/token`, async () => {
      await delay(50);
      return HttpResponse.json({ access_token: `tok-${++issued}`, expires_in: 300 });
    }));
    const token = await backendServicesToken(BASE, { clientId: "c", keyFile, scope: "system/Patient.rs" }, FAST_RETRY);
    expect(await Promise.all([token(), token(), token(true)])).toEqual(["tok-1", "tok-1", "tok-1"]);
    expect(issued).toBe(1);
  });

  it("signs a new assertion (new jti) for each try of a token request", async () => {
    const jtis: string[] = [];
    server.use(smartConfiguration, http.post(`${BASE}/token`, async ({ request }) => {
      const assertion = new URLSearchParams(await request.text()).get("client_assertion")!;
      jtis.push(JSON.parse(Buffer.from(assertion.split(".")[1]!, "base64url").toString()).jti);
      return jtis.length === 1 ? new HttpResponse(null, { status: 503 }) : HttpResponse.json({ access_token: "tok", expires_in: 300 });
    }));
    const token = await backendServicesToken(BASE, { clientId: "c", keyFile, scope: "system/Patient.rs" }, FAST_RETRY);
    expect(await token()).toBe("tok");
    expect(jtis).toHaveLength(2);
    expect(new Set(jtis).size).toBe(2);
  });

  it("stops before the kick-off when the server grants fewer scopes than asked: the export would leave those types out", async () => {
    server.use(...tokenEndpoint(300, "system/Patient.rs system/Observation.read"));
    serverWithManifest(oneFileManifest);
    await expect(exportFromFhir(exportOptions())).rejects.toThrow(/did not grant .*system\/Condition\.rs/);
    expect(seen.some((call) => call.url.includes("$export"))).toBe(false);
  });

  it("takes a v1 wildcard grant (system/*.read) for the v2 read scopes asked for", async () => {
    server.use(...tokenEndpoint(300, "system/*.read"));
    serverWithManifest(oneFileManifest);
    const { filesDir } = await exportFromFhir(exportOptions());
    expect(readdirSync(filesDir)).toEqual(["Patient.00000.ndjson"]);
  });

  it("refuses a plain-http token endpoint named by an https FHIR server, sending it nothing", async () => {
    server.use(http.get(`${BASE}/.well-known/smart-configuration`, () => HttpResponse.json({ token_endpoint: "http://ehr.example/token" })));
    await expect(backendServicesToken(BASE, { clientId: "c", keyFile, scope: "system/Patient.rs" }, FAST_RETRY)).rejects.toThrow(/token_endpoint that is not https/);
    expect(seen.map((call) => call.method)).toEqual(["GET"]);
  });

  it("does not quote a token endpoint's answer that is not JSON (it may hold the token)", async () => {
    server.use(smartConfiguration, http.post(`${BASE}/token`, () => new HttpResponse("access_token=SECRET-TOKEN-VALUE&expires_in=300")));
    const token = await backendServicesToken(BASE, { clientId: "c", keyFile, scope: "system/Patient.rs" }, FAST_RETRY);
    const error = await token().catch((e: Error) => e);
    expect(String(error)).toMatch(/token request: the answer is not JSON/);
    expect(String(error)).not.toMatch(/SECRET|TOKEN-V/);
  });
});
