/**
 * The job's FHIR-server calls against a FHIR server mocked by msw, for what the sandbox cannot
 * show: `_typeFilter` (the sandbox export ignores it) and `--post-group` (the sandbox is
 * read-only).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { exportFromFhir, exportScope } from "../../../population/bulk/export-input.ts";
import { postGroup } from "../../../population/bulk/post-group.ts";
import { tempDir } from "../fixtures.ts";

const BASE = "https://ehr.example/fhir";
const FAST_RETRY = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 };
const seen: { method: string; url: URL; headers: Headers; body: string }[] = [];
let groupAnswers: number[] = [];

const server = setupServer(
  http.get(`${BASE}/.well-known/smart-configuration`, () => HttpResponse.json({ token_endpoint: `${BASE}/token` })),
  http.post(`${BASE}/token`, () => HttpResponse.json({ access_token: "tok", expires_in: 300 })),
  http.get(`${BASE}/Patient/$export`, ({ request }) => {
    seen.push({ method: "GET", url: new URL(request.url), headers: request.headers, body: "" });
    return new HttpResponse(null, { status: 202, headers: { "content-location": `${BASE}/export/1` } });
  }),
  http.get(`${BASE}/export/1`, () =>
    HttpResponse.json({ transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [{ type: "Patient", url: `${BASE}/files/p.ndjson` }] }),
  ),
  http.get(`${BASE}/files/p.ndjson`, () => new HttpResponse(`${JSON.stringify({ resourceType: "Patient", id: "p1" })}\n`)),
  http.delete(`${BASE}/export/1`, () => new HttpResponse(null, { status: 202 })),
  http.put(`${BASE}/Group/:id`, async ({ request }) => {
    seen.push({ method: "PUT", url: new URL(request.url), headers: request.headers, body: await request.text() });
    const status = groupAnswers.shift() ?? 200;
    return new HttpResponse(null, { status, headers: status === 429 ? { "retry-after": "1" } : {} });
  }),
);

let keyFile: string;
beforeAll(async () => {
  server.listen({ onUnhandledRequest: "error" });
  const pair = await generateKeyPair("ES384", { extractable: true });
  keyFile = join(tempDir("patella-msw-key-"), "private.jwk.json");
  writeFileSync(keyFile, JSON.stringify({ ...(await exportJWK(pair.privateKey)), kid: "k1", alg: "ES384" }), { mode: 0o600 });
});
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
  groupAnswers = [];
});
afterAll(() => server.close());

const exportOptions = (jobObservationsOnly: boolean) => ({
  fhirBaseUrl: BASE,
  clientId: "population",
  keyFile,
  jobObservationsOnly,
  parallel: 2,
  outDir: tempDir("patella-msw-out-"),
  onEvent: () => undefined,
  retry: FAST_RETRY,
});

describe("--type-filter", () => {
  it("asks for body-measure Observations only (BMI, weight, height by LOINC) and the imaging AI's KL grades (the job's flag), and for every type the features read", async () => {
    const { filesDir } = await exportFromFhir(exportOptions(true));
    const kickOff = seen.find((call) => call.url.pathname.endsWith("/$export"))!;
    const filters = kickOff.url.searchParams.getAll("_typeFilter");
    expect(filters).toHaveLength(1);
    const [type, query] = filters[0]!.split("?");
    expect(type).toBe("Observation");
    const codes = new URLSearchParams(query).get("code")!.split(",");
    expect(codes.sort()).toEqual([
      "http://loinc.org|29463-7",
      "http://loinc.org|39156-5",
      "http://loinc.org|8302-2",
      "https://patella.example.org/fhir/CodeSystem/imaging-ai|kl-grade",
    ]);
    expect(kickOff.url.searchParams.get("_type")!.split(",")).toContain("Observation");
    expect(kickOff.headers.get("prefer")).toBe("respond-async");
    expect(readdirSync(filesDir)).toHaveLength(1);
  });

  it("is not sent without the option", async () => {
    await exportFromFhir(exportOptions(false));
    const kickOff = seen.find((call) => call.url.pathname.endsWith("/$export"))!;
    expect(kickOff.url.searchParams.has("_typeFilter")).toBe(false);
  });
});

describe("the types the export asks for", () => {
  /** The feature builder's types (models/FEATURES.md), and Procedure, read for the knee-replacement flag only. */
  const READ = ["Condition", "Encounter", "Medication", "MedicationDispense", "MedicationRequest", "MedicationStatement", "Observation", "Patient", "Procedure"];

  it("are the features' and Procedure, in _type and in the read scopes asked of the token endpoint", async () => {
    const asked: string[] = [];
    server.use(
      http.post(`${BASE}/token`, async ({ request }) => {
        asked.push(new URLSearchParams(await request.text()).get("scope")!);
        return HttpResponse.json({ access_token: "tok", expires_in: 300 });
      }),
    );
    await exportFromFhir(exportOptions(false));
    const kickOff = seen.find((call) => call.url.pathname.endsWith("/$export"))!;
    expect(kickOff.url.searchParams.get("_type")!.split(",")).toEqual(READ);
    expect(asked.map((scope) => scope.split(" "))).toEqual([READ.map((type) => `system/${type}.rs`)]);
    expect(exportScope(true).split(" ")).toEqual([...READ.map((type) => `system/${type}.rs`), "system/Group.cu"]);
  });
});

describe("--post-group", () => {
  const group = { resourceType: "Group", id: "patella-high-risk-2026-01-01", type: "person", actual: true, member: [{ entity: { reference: "Patient/p1" } }] };
  const groupFile = () => {
    const file = join(tempDir("patella-msw-group-"), "high-risk-group.json");
    writeFileSync(file, JSON.stringify(group));
    return file;
  };

  it("PUTs the Group file to Group/<id> with the token, retrying a 503", async () => {
    groupAnswers = [503, 200];
    const file = groupFile();
    const url = await postGroup(BASE, file, async () => "tok", FAST_RETRY);
    expect(url).toBe(`${BASE}/Group/patella-high-risk-2026-01-01`);
    expect(seen).toHaveLength(2);
    for (const call of seen) {
      expect(call.url.href).toBe(url);
      expect(call.headers.get("authorization")).toBe("Bearer tok");
      expect(call.headers.get("content-type")).toBe("application/fhir+json");
      expect(JSON.parse(call.body)).toEqual(JSON.parse(readFileSync(file, "utf8")));
    }
  });

  it("waits out a busy answer to the PUT and logs the wait as the export's other requests do", async () => {
    const events: [string, unknown][] = [];
    const fhir = await exportFromFhir({ ...exportOptions(false), onEvent: (event: string, fields: unknown) => events.push([event, fields]) });
    seen.length = 0;
    groupAnswers = [429, 429, 200];
    await postGroup(BASE, groupFile(), fhir.token, fhir.retry);
    expect(seen.map((call) => call.method)).toEqual(["PUT", "PUT", "PUT"]);
    expect(events.filter(([event]) => event === "retry")).toEqual([
      ["retry", { why: "post Group: HTTP 429, busy", delayMs: 1000 }],
      ["retry", { why: "post Group: HTTP 429, busy", delayMs: 1000 }],
    ]);
  });

  it("fails with the status when the server refuses the write, without retrying", async () => {
    groupAnswers = [403];
    await expect(postGroup(BASE, groupFile(), async () => "tok", FAST_RETRY)).rejects.toThrow(/PUT https:\/\/ehr\.example\/fhir\/Group\/patella-high-risk-2026-01-01: HTTP 403/);
    expect(seen).toHaveLength(1);
  });
});
