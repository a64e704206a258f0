/**
 * The fetch-only-alongside keys (kneeKlGrades, procedures) carry card caveats (a KL grade of 2 or
 * more, a knee replacement). What the EHR left out is fetched when the service fetches another key
 * for the call anyway (an EHR that prefetches little still gets the KL card), and otherwise is
 * empty and no caveat, so that the call never waits on a round trip for them alone. A failed query
 * or a paged answer must not pass for "nothing on record": a failed one is a caveat naming the
 * data, a paged one is followed when the service can fetch, and said to be partial when it cannot.
 * The log line says which happened to each key.
 */
import type { Resource } from "fhir/r4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { procedure, snomed } from "../../support/fhir-builders.ts";
import { fullPrefetch, hookBody, OUTCOME, searchset } from "../support/hook-requests.ts";
import { klObservations } from "../support/kl-observations.ts";
import { captureLog, type CapturedLog } from "../support/log-capture.ts";
import { mockFhirServer, type MockFhirServer } from "../support/mock-fhir-server.ts";
import { FHIR_BASE, HOOK_PATH, startTestService, type TestService } from "../support/test-service.ts";

/** The card's data caveats for its context, the same sentences as the app's (shared/unavailable-data.ts):
 * they say which caveat cannot be said, not that the estimate lacks them (the model never reads them). */
const PROCEDURES_MISSING = "Procedures could not be read: a knee replacement would be noted here only if the diagnoses record an artificial knee joint.";
const KL_MISSING = "Imaging grades could not be read: a radiograph that already shows knee OA would not be noted here.";
const firstPageOnly = (label: string) => `The EHR sent only the first page of the ${label} and the rest could not be fetched: what the later pages hold is not noted here.`;
const KNEE_REPLACED = "A knee replacement is on record";

/** The EHR's page 2 of the KL grades: right knee graded 3 on 2024-04-02 (index date 2024-06-01). */
const PAGE_2_KL = klObservations("2024-04-02", { left: 1, right: 3 });
/** The same page 2 of the procedures: a total knee replacement in 2021. */
const PAGE_2_PROCEDURES = [procedure(snomed("609588000"), { performedDateTime: "2021-05-11" }, { id: "tkr" })];

/** A first page holding `first`, whose next link asks the mock FHIR server for all of `type`. */
const firstPage = (first: Resource[], type: string) => searchset(first, `${FHIR_BASE}/${type}?patient=p1&_count=50&_offset=0`);

/** The full prefetch (which has no kneeKlGrades or procedures) without this key. */
function without(key: string): Record<string, unknown> {
  const prefetch = fullPrefetch();
  delete prefetch[key];
  return prefetch;
}

/** The resource types of the FHIR requests, in order (the searches run in parallel). */
const typesAsked = (requests: readonly string[]) => requests.map((r) => r.split("?")[0]).sort();

describe("fetch-only-alongside keys that failed or are paged", () => {
  let svc: TestService;
  let fhir: MockFhirServer;
  let log: CapturedLog;
  beforeAll(async () => {
    log = captureLog("info");
    fhir = mockFhirServer({ resources: [...PAGE_2_KL, ...PAGE_2_PROCEDURES] });
    svc = await startTestService({ handlers: fhir.handlers, logger: log.logger });
  });
  afterAll(() => svc.close());

  /** The card and the `sources` of the call's log line. */
  async function hook(prefetch: Record<string, unknown>, withToken: boolean) {
    fhir.requests.length = 0;
    const res = await svc.call("POST", HOOK_PATH, { body: hookBody({ prefetch, ...(withToken ? { fhirServer: FHIR_BASE } : {}) }) });
    expect(res.status).toBe(200);
    expect(res.body.cards).toHaveLength(1);
    const line = log.entries().filter((e) => e.msg === "request").at(-1)!;
    return { detail: res.body.cards[0].detail as string, sources: line.sources as Record<string, string> };
  }

  it("a procedures prefetch that is an OperationOutcome: the card names the missing procedures, the log says it failed, nothing is fetched", async () => {
    for (const withToken of [false, true]) {
      const { detail, sources } = await hook({ ...fullPrefetch(), procedures: OUTCOME }, withToken);
      expect(detail).toContain(PROCEDURES_MISSING);
      expect(sources.procedures).toBe("unavailable: the EHR's prefetch query failed (OperationOutcome)");
      expect(fhir.requests).toEqual([]);
    }
  });

  it("a KL grade searchset with an error entry: the card names the missing grades", async () => {
    const failed = { ...searchset([]), entry: [{ resource: OUTCOME, search: { mode: "outcome" } }] };
    const { detail, sources } = await hook({ ...fullPrefetch(), kneeKlGrades: failed }, false);
    expect(detail).toContain(KL_MISSING);
    expect(sources.kneeKlGrades).toBe("unavailable: the EHR's prefetch Bundle reports an error with the search (OperationOutcome entry)");
  });

  it("a paged kneeKlGrades prefetch with a token: the next page is fetched and its KL grade 3 is on the card", async () => {
    const { detail, sources } = await hook({ ...fullPrefetch(), kneeKlGrades: firstPage(klObservations("2023-01-10", { left: 1, right: 1 }), "Observation") }, true);
    // The procedures, left out, are fetched alongside the next page.
    expect(fhir.requests).toContain("Observation?patient=p1&_count=50&_offset=0");
    expect(typesAsked(fhir.requests)).toEqual(["Observation", "Procedure"]);
    expect(detail).toContain("AI grading of a radiograph of 2024-04-02 suggests Kellgren-Lawrence grade 3 in the right knee");
    expect(detail).not.toContain(KL_MISSING);
    expect(detail).not.toContain("first page");
    expect(sources.kneeKlGrades).toBe("fetched (next page)");
  });

  it("a paged procedures prefetch with a token: the knee replacement on page 2 is on the card", async () => {
    const { detail, sources } = await hook({ ...fullPrefetch(), procedures: firstPage([], "Procedure") }, true);
    expect(detail).toContain(`${KNEE_REPLACED} (most recently 2021-05-11)`);
    expect(sources.procedures).toBe("fetched (next page)");
  });

  it("a paged kneeKlGrades prefetch without a token: the first page is used and the card and the log say the rest is missing", async () => {
    const { detail, sources } = await hook({ ...fullPrefetch(), kneeKlGrades: firstPage(klObservations("2024-04-02", { left: 3, right: 1 }), "Observation") }, false);
    expect(fhir.requests).toEqual([]);
    expect(detail).toContain("Kellgren-Lawrence grade 3 in the left knee");
    expect(detail).toContain(firstPageOnly("imaging AI knee KL grades"));
    expect(sources.kneeKlGrades).toBe("prefetch, first page only (no fhirServer with fhirAuthorization to fetch from)");
  });

  it("a next page that fails to load: the first page's knee replacement is still said, and that the rest is not known", async () => {
    const failing = mockFhirServer({ resources: [], failures: { Procedure: { status: 500 } } });
    svc.msw.use(...failing.handlers);
    try {
      const onFirstPage = procedure(snomed("609588000"), { performedDateTime: "2019-03-04" }, { id: "tkr-1" });
      const { detail, sources } = await hook({ ...fullPrefetch(), procedures: firstPage([onFirstPage], "Procedure") }, true);
      expect(detail).toContain(`${KNEE_REPLACED} (most recently 2019-03-04)`);
      expect(detail).toContain(firstPageOnly("procedures (knee replacement)"));
      expect(detail).not.toContain(PROCEDURES_MISSING);
      expect(sources.procedures).toBe("prefetch, first page only (FHIR server answered 500)");
      expect(failing.requests).toContain("Procedure?patient=p1&_count=50&_offset=0");
      expect(typesAsked(failing.requests)).toEqual(["Observation", "Procedure"]);
    } finally {
      svc.msw.resetHandlers();
    }
  });

  it("left out when every other key is prefetched: not fetched, even with a token, and no caveat", async () => {
    const { detail, sources } = await hook(fullPrefetch(), true);
    expect(fhir.requests).toEqual([]);
    expect(detail).not.toContain(PROCEDURES_MISSING);
    expect(detail).not.toContain(KL_MISSING);
    expect(detail).not.toContain("Kellgren-Lawrence");
    const notFetched = "not prefetched, not fetched (fetched only alongside another key, and none is)";
    expect(sources).toMatchObject({ kneeKlGrades: notFetched, procedures: notFetched });
  });

  it("left out while the service fetches another key: fetched with it, the KL grade 3 and the knee replacement on the card", async () => {
    const { detail, sources } = await hook(without("medicationDispenses"), true);
    expect(typesAsked(fhir.requests)).toEqual(["MedicationDispense", "Observation", "Procedure"]);
    // The KL grades' own query, not the body measures' (which were prefetched).
    const observations = new URL(`${FHIR_BASE}/${fhir.requests.find((r) => r.startsWith("Observation?"))}`);
    expect(observations.searchParams.get("code")).toBe("https://patella.example.org/fhir/CodeSystem/imaging-ai|kl-grade");
    expect(fhir.requests).toContain("Procedure?patient=p1&_count=50");
    expect(detail).toContain("AI grading of a radiograph of 2024-04-02 suggests Kellgren-Lawrence grade 3 in the right knee");
    expect(detail).toContain(`${KNEE_REPLACED} (most recently 2021-05-11)`);
    expect(sources).toMatchObject({ medicationDispenses: "fetched (absent)", kneeKlGrades: "fetched (absent)", procedures: "fetched (absent)" });
  });

  it("fetched alongside and refused by the FHIR server: a caveat names what could not be read", async () => {
    const refusing = mockFhirServer({ resources: PAGE_2_KL, failures: { Procedure: { status: 403 } } });
    svc.msw.use(...refusing.handlers);
    try {
      const { detail, sources } = await hook(without("medicationDispenses"), true);
      expect(typesAsked(refusing.requests)).toEqual(["MedicationDispense", "Observation", "Procedure"]);
      expect(detail).toContain(PROCEDURES_MISSING);
      expect(detail).toContain("Kellgren-Lawrence grade 3 in the right knee");
      expect(sources).toMatchObject({ procedures: "unavailable: FHIR server answered 403", kneeKlGrades: "fetched (absent)" });
    } finally {
      svc.msw.resetHandlers();
    }
  });

  it("fetched alongside a required key, their bytes never count against its budget: the patient is still read after the procedures took nearly all of theirs", async () => {
    const many = Array.from({ length: 10 }, (_, i) => procedure(snomed("80146002"), { performedDateTime: "2020-01-01" }, { id: `appendectomy-${i}` }));
    const patient = fullPrefetch().patient as Resource;
    // A budget that holds the context keys' answers (the procedures, no KL grade) and not the
    // patient besides: with one budget for the call, the patient read after them ended in 412.
    const bytes = (json: unknown) => Buffer.byteLength(JSON.stringify(json));
    const maxResponseBytes = bytes(searchset(many)) + bytes(searchset([])) + bytes(patient) - 1;
    // The patient answers last, when the procedures' bytes have been read.
    const server = mockFhirServer({ resources: [patient, ...many], failures: { Patient: { delayMs: 150 } } });
    const budgeted = await startTestService({
      handlers: server.handlers,
      logger: log.logger,
      config: { fhir: { requestTimeoutMs: 500, totalTimeoutMs: 1500, pageLimit: 5, pageSize: 50, maxResponseBytes } },
    });
    try {
      const res = await budgeted.call("POST", HOOK_PATH, { body: hookBody({ prefetch: without("patient"), fhirServer: FHIR_BASE }) });
      expect(res.status).toBe(200);
      expect(res.body.cards[0].detail).not.toContain(PROCEDURES_MISSING);
      const line = log.entries().filter((e) => e.msg === "request").at(-1)!;
      expect(line.sources).toMatchObject({ patient: "fetched (absent)", procedures: "fetched (absent)", kneeKlGrades: "fetched (absent)" });
    } finally {
      await budgeted.close();
    }
  });

  it("left out while another key is missing and there is no token: not fetched, no caveat for them, the log says why", async () => {
    const { detail, sources } = await hook(without("medicationDispenses"), false);
    expect(fhir.requests).toEqual([]);
    expect(detail).toContain("The EHR could not supply dispensed medications");
    expect(detail).not.toContain(PROCEDURES_MISSING);
    expect(detail).not.toContain(KL_MISSING);
    const notFetched = "not prefetched, not fetched (no fhirServer with fhirAuthorization to fetch from)";
    expect(sources).toMatchObject({ kneeKlGrades: notFetched, procedures: notFetched });
  });
});
