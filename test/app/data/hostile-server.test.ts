// @vitest-environment jsdom
/**
 * The record loader against a hostile or broken FHIR server (msw), with a real fhirclient
 * Client: the token goes only to the server's own base, paging ends, and an answer that cannot
 * be read as sent (not a Bundle, not JSON, not UTF-8, no answer at all) fails its own query
 * instead of passing for "no records", while the other queries load.
 */
import { delay, http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadRecord, riskInput, type QueryOutcome } from "../../../app/data/load-record.ts";
import { fhirTestClient, searchset } from "./fhir-test-client.ts";

const BASE = "https://ehr.example/fhir";
const PATIENT = "p1";
const TOKEN = "secret-token";
const SCOPE = ["Patient", "Condition", "Encounter", "MedicationRequest"].map((t) => `patient/${t}.rs`).join(" ");
const LIMITS = { maxPages: 5, timeoutMs: 200, maxBytes: 2 ** 20 };
/** The endless servers below end after this many pages, so that a loader without its limits
 * fails these tests instead of hanging the run. */
const ENOUGH = 50;

const condition = (id: string) => ({ resourceType: "Condition", id, subject: { reference: `Patient/${PATIENT}` } });

/** Every request's URL and Authorization header, wherever it went. */
const requests: { url: string; authorization: string | null }[] = [];

const server = setupServer(
  http.get(`${BASE}/Patient/${PATIENT}`, () => HttpResponse.json({ resourceType: "Patient", id: PATIENT, birthDate: "1960-01-01" })),
  http.get(`${BASE}/:type`, () => HttpResponse.json(searchset([]))),
);

beforeAll(() => {
  server.listen({ onUnhandledRequest: "error" });
  server.events.on("request:start", ({ request }) => requests.push({ url: request.url, authorization: request.headers.get("authorization") }));
});
afterEach(() => {
  server.resetHandlers();
  requests.length = 0;
});
afterAll(() => server.close());

async function outcomes(): Promise<Map<string, QueryOutcome>> {
  const record = await loadRecord(fhirTestClient(BASE, { access_token: TOKEN, patient: PATIENT, scope: SCOPE }), PATIENT, SCOPE, LIMITS);
  return new Map(record.queries.map((q) => [q.query.key, q.outcome]));
}

const conditionRequests = () => requests.filter((r) => new URL(r.url).pathname.endsWith("/Condition"));

describe("paging", () => {
  it.each([
    ["another host", "https://collector.example/fhir/Condition?page=2"],
    ["another scheme", "http://ehr.example/fhir/Condition?page=2"],
    ["another path on the same host", "https://ehr.example/other/Condition?page=2"],
  ])("does not follow a next link to %s, so the token stays with the FHIR server", async (_what, next) => {
    server.use(
      http.get(`${BASE}/Condition`, () => HttpResponse.json(searchset([condition("c1")], next))),
      http.get(new URL(next).origin + "/*", () => HttpResponse.json(searchset([]))),
    );
    const byKey = await outcomes();
    expect(requests.filter((r) => r.url === next)).toEqual([]);
    expect(requests.every((r) => r.url.startsWith(`${BASE}/`))).toBe(true);
    expect(byKey.get("conditions")).toEqual({ status: "failed", message: "could not be read (the server's next-page link leads away from the FHIR server)" });
    expect(byKey.get("encounters")?.status).toBe("loaded");
  });

  it("does not follow a redirect, which could take the request elsewhere", async () => {
    const elsewhere = "https://collector.example/fhir/Condition";
    server.use(
      http.get(`${BASE}/Condition`, () => new HttpResponse(null, { status: 302, headers: { location: elsewhere } })),
      http.get(elsewhere, () => HttpResponse.json(searchset([condition("c1")]))),
    );
    const byKey = await outcomes();
    expect(requests.filter((r) => r.url.startsWith("https://collector.example/"))).toEqual([]);
    expect(byKey.get("conditions")).toEqual({ status: "failed", message: "could not be read (network error)" });
  });

  it("follows a relative next link under the base, with the token", async () => {
    server.use(
      http.get(`${BASE}/Condition`, ({ request }) =>
        HttpResponse.json(new URL(request.url).searchParams.has("page") ? searchset([condition("c2")]) : searchset([condition("c1")], "Condition?page=2")),
      ),
    );
    const conditions = (await outcomes()).get("conditions");
    expect(conditions?.status === "loaded" && conditions.resources.map((r) => r.id)).toEqual(["c1", "c2"]);
    expect(conditionRequests().map((r) => r.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
  });

  it("stops when the next link leads back to a page already read (page 1, page 2, page 1 ...)", async () => {
    server.use(
      http.get(`${BASE}/Condition`, ({ request }) => {
        if (conditionRequests().length > ENOUGH) return HttpResponse.json(searchset([]));
        return HttpResponse.json(new URL(request.url).searchParams.has("page") ? searchset([], `${BASE}/Condition?patient=${PATIENT}`) : searchset([], `${BASE}/Condition?page=2`));
      }),
    );
    const byKey = await outcomes();
    expect(conditionRequests()).toHaveLength(2);
    expect(byKey.get("conditions")).toMatchObject({ status: "failed", message: "could not be read (the server's paging returns to a page already read)" });
  });

  it("fails a search with more pages than the limit instead of reading without end or cutting it short", async () => {
    server.use(
      http.get(`${BASE}/Condition`, ({ request }) => {
        const page = Number(new URL(request.url).searchParams.get("page") ?? "1");
        return HttpResponse.json(searchset([condition(`c${page}`)], page > ENOUGH ? undefined : `${BASE}/Condition?page=${page + 1}`));
      }),
    );
    const byKey = await outcomes();
    expect(conditionRequests()).toHaveLength(LIMITS.maxPages);
    expect(byKey.get("conditions")).toMatchObject({ status: "failed", message: `could not be read (the search has more than ${LIMITS.maxPages} pages)` });
  });

  it("fails a search whose pages together exceed the byte budget, though each page is within it", async () => {
    // Three pages of about 400 KB each: 1.2 MB in all against 1 MB.
    const note = [{ text: "x".repeat(400_000) }];
    server.use(
      http.get(`${BASE}/Condition`, ({ request }) => {
        const page = Number(new URL(request.url).searchParams.get("page") ?? "1");
        return HttpResponse.json(searchset([{ ...condition(`c${page}`), note }], page < 3 ? `${BASE}/Condition?page=${page + 1}` : undefined));
      }),
    );
    const byKey = await outcomes();
    expect(conditionRequests()).toHaveLength(3);
    expect(byKey.get("conditions")).toMatchObject({ status: "failed", message: "could not be read (the server's answers exceed 1 MB)" });
    expect(byKey.get("encounters")?.status).toBe("loaded");
  });

  it("keeps text that is UTF-8 beyond ASCII as sent", async () => {
    const text = "Gonarthrose rechts – Ärztin 膝 😀";
    server.use(http.get(`${BASE}/Condition`, () => HttpResponse.json(searchset([{ ...condition("c1"), code: { text } }]))));
    const conditions = (await outcomes()).get("conditions");
    expect(conditions?.status === "loaded" && conditions.resources.map((r) => (r as { code?: { text?: string } }).code?.text)).toEqual([text]);
  });

  it("reads an answer that starts with a UTF-8 byte order mark, as the CDS service does (RFC 8259 8.1: a parser MAY ignore it)", async () => {
    const json = new TextEncoder().encode(JSON.stringify(searchset([condition("c1")])));
    server.use(http.get(`${BASE}/Condition`, () => new HttpResponse(new Uint8Array([0xef, 0xbb, 0xbf, ...json]), { headers: { "content-type": "application/fhir+json" } })));
    const conditions = (await outcomes()).get("conditions");
    expect(conditions?.status === "loaded" && conditions.resources.map((r) => r.id)).toEqual(["c1"]);
  });

  it("skips entries without a resource and keeps the rest of the page", async () => {
    server.use(http.get(`${BASE}/Condition`, () => HttpResponse.json({ ...searchset([condition("c1")]), entry: [{ fullUrl: "urn:x" }, { resource: condition("c1") }] })));
    const conditions = (await outcomes()).get("conditions");
    expect(conditions?.status === "loaded" && conditions.resources.map((r) => r.id)).toEqual(["c1"]);
  });
});

describe("a type granted in part, read once per restriction, within one query's limits", () => {
  // Conditions granted within two categories: one search each (load-record.ts, searchWithin).
  const RESTRICTIONS = ["category=problem-list-item", "category=encounter-diagnosis"];
  const SPLIT_SCOPE = SCOPE.replace("patient/Condition.rs", RESTRICTIONS.map((r) => `patient/Condition.rs?${r}`).join(" "));
  const splitOutcomes = async () => {
    const record = await loadRecord(fhirTestClient(BASE, { access_token: TOKEN, patient: PATIENT, scope: SPLIT_SCOPE }), PATIENT, SPLIT_SCOPE, LIMITS);
    return new Map(record.queries.map((q) => [q.query.key, q.outcome]));
  };
  /** Each restriction's search answers `pages` pages, each with one Condition and `note`. */
  const pagedPerRestriction = (pages: number, note?: object[]) =>
    http.get(`${BASE}/Condition`, ({ request }) => {
      const params = new URL(request.url).searchParams;
      const category = params.get("category") ?? "";
      const page = Number(params.get("page") ?? "1");
      const next = page < pages ? `${BASE}/Condition?category=${category}&page=${page + 1}` : undefined;
      return HttpResponse.json(searchset([{ ...condition(`${category}-${page}`), ...(note !== undefined && { note }) }], next));
    });

  it("reads both restrictions in full when their pages together are within the limit (the control)", async () => {
    server.use(pagedPerRestriction(2));
    const conditions = (await splitOutcomes()).get("conditions");
    expect(conditions).toMatchObject({ status: "loaded", partial: RESTRICTIONS });
    expect(conditions?.status === "loaded" && conditions.resources.map((r) => r.id).sort()).toEqual(
      ["encounter-diagnosis-1", "encounter-diagnosis-2", "problem-list-item-1", "problem-list-item-2"],
    );
  });

  it("fails the query when its restrictions' pages together exceed the page limit, though each search is within it", async () => {
    // 3 pages per restriction, 6 in all, against 5: a partial grant reads no more than a full one.
    server.use(pagedPerRestriction(3));
    const byKey = await splitOutcomes();
    expect(conditionRequests()).toHaveLength(LIMITS.maxPages);
    expect(byKey.get("conditions")).toMatchObject({ status: "failed", message: `could not be read (the search has more than ${LIMITS.maxPages} pages)` });
    expect(byKey.get("encounters")?.status).toBe("loaded");
  });

  it("fails the query when its restrictions' answers together exceed the byte budget, though each search is within it", async () => {
    // 2 pages of about 300 KB per restriction: 600 KB each, 1.2 MB in all against 1 MB.
    server.use(pagedPerRestriction(2, [{ text: "x".repeat(300_000) }]));
    const byKey = await splitOutcomes();
    expect(byKey.get("conditions")).toMatchObject({ status: "failed", message: "could not be read (the server's answers exceed 1 MB)" });
    expect(byKey.get("encounters")?.status).toBe("loaded");
  });
});

describe("answers that cannot be read as sent fail their query, and a required one stops the risk", () => {
  async function requiredFails(message: string) {
    const record = await loadRecord(fhirTestClient(BASE, { access_token: TOKEN, patient: PATIENT, scope: SCOPE }), PATIENT, SCOPE, LIMITS);
    const byKey = new Map(record.queries.map((q) => [q.query.key, q.outcome]));
    expect(byKey.get("conditions")).toEqual({ status: "failed", message: `could not be read (${message})` });
    expect(byKey.get("encounters")?.status).toBe("loaded");
    expect(riskInput(record).missingRequired.map((q) => q.query.key)).toEqual(["conditions"]);
  }

  it("an HTML page with status 200 (a login page, a proxy's error) is not an empty search", async () => {
    server.use(http.get(`${BASE}/Condition`, () => HttpResponse.html("<html><body>Please sign in</body></html>")));
    await requiredFails("the server's answer is not JSON");
  });

  it("a second page that is an OperationOutcome, not a Bundle, fails the search instead of ending it", async () => {
    server.use(
      http.get(`${BASE}/Condition`, ({ request }) =>
        HttpResponse.json(
          new URL(request.url).searchParams.has("page")
            ? { resourceType: "OperationOutcome", issue: [{ severity: "error", code: "exception" }] }
            : searchset([condition("c1")], `${BASE}/Condition?page=2`),
        ),
      ),
    );
    await requiredFails("a page of the search is not a Bundle");
  });

  it("a page whose OperationOutcome entry reports an error beside its results fails the search; a warning does not", async () => {
    const page = (severity: string) => {
      const bundle = searchset([condition("c1")]);
      return { ...bundle, entry: [...(bundle.entry ?? []), { resource: { resourceType: "OperationOutcome", issue: [{ severity, code: "incomplete" }] }, search: { mode: "outcome" } }] };
    };
    server.use(http.get(`${BASE}/Condition`, () => HttpResponse.json(page("warning"))));
    const conditions = (await outcomes()).get("conditions");
    expect(conditions?.status === "loaded" && conditions.resources.map((r) => r.id)).toEqual(["c1"]);
    server.use(http.get(`${BASE}/Condition`, () => HttpResponse.json(page("error"))));
    await requiredFails("the server reports an error with this search");
  });

  it("bytes that are not UTF-8 are not decoded into U+FFFD and read as a different code", async () => {
    const json = JSON.stringify(searchset([{ ...condition("c1"), code: { coding: [{ system: "http://snomed.info/sct", code: "X" }] } }]));
    const [before, after] = json.split('"X"') as [string, string];
    // 0xFF can never occur in UTF-8.
    const bytes = new Uint8Array([...new TextEncoder().encode(`${before}"`), 0xff, ...new TextEncoder().encode(`"${after}`)]);
    server.use(http.get(`${BASE}/Condition`, () => new HttpResponse(bytes, { headers: { "content-type": "application/fhir+json" } })));
    await requiredFails("the server's answer is not UTF-8 text, so its records cannot be read as sent");
  });

  it("a server that never answers fails that query after the timeout; the others load", async () => {
    server.use(http.get(`${BASE}/Condition`, async () => {
      await delay("infinite");
      return HttpResponse.json(searchset([]));
    }));
    await requiredFails(`no answer within ${LIMITS.timeoutMs / 1000} s`);
  });

  it("a Patient read answered with something other than the Patient", async () => {
    server.use(http.get(`${BASE}/Patient/${PATIENT}`, () => HttpResponse.json(searchset([]))));
    const record = await loadRecord(fhirTestClient(BASE, { access_token: TOKEN, patient: PATIENT, scope: SCOPE }), PATIENT, SCOPE, LIMITS);
    expect(record.queries.find((q) => q.query.key === "patient")?.outcome).toEqual({ status: "failed", message: "could not be read (the server did not return a Patient)" });
    expect(riskInput(record).missingRequired.map((q) => q.query.key)).toEqual(["patient"]);
  });

  it("a 403 on one type is said for that type only", async () => {
    server.use(http.get(`${BASE}/Condition`, () => new HttpResponse(null, { status: 403 })));
    await requiredFails("HTTP 403");
  });
});
