/**
 * Every prefetch state CDS Hooks 2.0 allows, for every key, alone and mixed: absent, null, an
 * OperationOutcome, a resource, an empty searchset, a searchset with a next link. Whatever
 * route the data takes (prefetch, fetch, next page), the card must be the one the full
 * prefetch gives; without a way to fetch, required data missing means 412.
 */
import type { Bundle, Resource } from "fhir/r4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fullPrefetch, hookBody, OUTCOME, patientRecord, searchset } from "../support/hook-requests.ts";
import { mockFhirServer, type MockFhirServer } from "../support/mock-fhir-server.ts";
import { FHIR_BASE, HOOK_PATH, startTestService, type TestService } from "../support/test-service.ts";

const record = patientRecord();
const allResources: Resource[] = [record.patient, ...record.conditions, ...record.encounters, ...record.medicationRequests, ...record.bodyMeasures];
const SEARCH_KEYS = ["conditions", "encounters", "medicationRequests", "medicationStatements", "medicationDispenses", "bodyMeasures"] as const;
/** The optional keys and the caveat label of each (shared/risk-record-queries.ts). */
const OPTIONAL_LABELS: Record<string, string> = {
  medicationStatements: "medication statements",
  medicationDispenses: "dispensed medications",
  bodyMeasures: "BMI, weight and height",
};
const dataOf: Record<string, Resource[]> = {
  patient: [record.patient],
  conditions: record.conditions,
  encounters: record.encounters,
  medicationRequests: record.medicationRequests,
  medicationStatements: [],
  medicationDispenses: [],
  bodyMeasures: record.bodyMeasures,
};
const typeOf: Record<string, string> = {
  conditions: "Condition",
  encounters: "Encounter",
  medicationRequests: "MedicationRequest",
  medicationStatements: "MedicationStatement",
  medicationDispenses: "MedicationDispense",
  bodyMeasures: "Observation",
};

/** A searchset holding the first resource with a next link to the rest on the FHIR server. */
function pagedFirst(key: string): unknown {
  const first = dataOf[key]!.slice(0, 1);
  return searchset(first, `${FHIR_BASE}/${typeOf[key]}?patient=p1&_count=2&_offset=1`);
}

/** The code searched for the KL grades (the imaging AI's project CodeSystem, docs/imaging.md). */
const KL_QUERY_CODE = "https://patella.example.org/fhir/CodeSystem/imaging-ai|kl-grade";

describe("prefetch states", () => {
  let svc: TestService;
  let fhir: MockFhirServer;
  let baseline: { summary: string; detail: string };
  beforeAll(async () => {
    fhir = mockFhirServer({ resources: allResources });
    svc = await startTestService({ handlers: fhir.handlers });
    const res = await svc.call("POST", HOOK_PATH, { body: hookBody() });
    expect(res.status).toBe(200);
    expect(res.body.cards).toHaveLength(1);
    baseline = { summary: res.body.cards[0].summary, detail: res.body.cards[0].detail };
  });
  afterAll(() => svc.close());

  /** The FHIR requests for the model's input keys: without those of the keys fetched only alongside
   * them (the KL grades and the procedures, fetched with any other key: fetch-only-alongside-keys.test.ts). */
  const inputRequests = () => fhir.requests.filter((r) => !r.startsWith("Procedure?") && new URLSearchParams(r.split("?")[1]).get("code") !== KL_QUERY_CODE);

  async function hook(prefetch: Record<string, unknown> | undefined, withServer = true) {
    fhir.requests.length = 0;
    return svc.call("POST", HOOK_PATH, { body: hookBody({ prefetch, ...(withServer ? { fhirServer: FHIR_BASE } : {}) }) });
  }
  const expectBaselineCard = (res: { status: number; body: any }) => {
    expect(res.status).toBe(200);
    expect(res.body.cards[0]).toMatchObject(baseline);
  };
  /** A key whose prefetch failed is not fetched again: 412 naming `why` if required, a caveat if not. */
  const expectFailedKey = (key: string, res: { status: number; body: any }, why: string) => {
    expect(fhir.requests).toEqual([]);
    const label = OPTIONAL_LABELS[key];
    if (label !== undefined) {
      expect(res.status).toBe(200);
      expect(res.body.cards[0].detail).toContain(`The EHR could not supply ${label}`);
    } else {
      expect(res.status).toBe(412);
      expect(res.body.issue[0].diagnostics).toBe(`Required data could not be obtained: ${key} (${why})`);
    }
  };

  it("uses a complete prefetch without calling the FHIR server", async () => {
    expectBaselineCard(await hook(fullPrefetch()));
    expect(fhir.requests).toEqual([]);
  });

  it("fetches everything when prefetch is absent altogether", async () => {
    expectBaselineCard(await hook(undefined));
    // The body measures and the KL grades are both Observation searches; the procedures come along too.
    expect(fhir.requests.map((r) => r.split("?")[0]).sort()).toEqual(["Condition", "Encounter", "MedicationDispense", "MedicationRequest", "MedicationStatement", "Observation", "Observation", "Patient/p1", "Procedure"]);
    expect(inputRequests()).toHaveLength(7);
  });

  for (const key of ["patient", ...SEARCH_KEYS]) {
    it(`${key}: absent -> fetched`, async () => {
      const prefetch = fullPrefetch();
      delete prefetch[key];
      expectBaselineCard(await hook(prefetch));
      expect(inputRequests()).toHaveLength(1);
    });

    it(`${key}: OperationOutcome -> not fetched again (the EHR's query failed): 412 if required, a caveat if not`, async () => {
      expectFailedKey(key, await hook({ ...fullPrefetch(), [key]: OUTCOME }), "the EHR's prefetch query failed (OperationOutcome)");
    });
  }

  it("patient: a searchset Bundle holding the context patient is used as is", async () => {
    expectBaselineCard(await hook({ ...fullPrefetch(), patient: searchset([record.patient]) }));
    expect(fhir.requests).toEqual([]);
  });

  it("patient: an empty searchset Bundle -> fetched; one holding another patient -> 400", async () => {
    expectBaselineCard(await hook({ ...fullPrefetch(), patient: searchset([]) }));
    expect(inputRequests()).toEqual(["Patient/p1"]);
    const res = await hook({ ...fullPrefetch(), patient: searchset([record.patient, { resourceType: "Patient", id: "someone-else" }]) });
    expect(res.status).toBe(400);
    expect(res.body.issue[0].diagnostics).toBe("prefetch.patient holds a Patient that is not the context patient");
  });

  it("patient: null -> fetched (the context patient cannot be 'no data')", async () => {
    expectBaselineCard(await hook({ ...fullPrefetch(), patient: null }));
    expect(inputRequests()).toEqual(["Patient/p1"]);
  });

  it("patient: a resource without an id is the context patient", async () => {
    const { id: _id, ...anonymous } = record.patient;
    expectBaselineCard(await hook({ ...fullPrefetch(), patient: anonymous }));
  });

  it("patient: another patient's resource -> 400", async () => {
    const res = await hook({ ...fullPrefetch(), patient: { resourceType: "Patient", id: "someone-else" } });
    expect(res.status).toBe(400);
  });

  for (const key of SEARCH_KEYS) {
    it(`${key}: null -> no data, same card as an empty searchset`, async () => {
      const asNull = await hook({ ...fullPrefetch(), [key]: null });
      const asEmpty = await hook({ ...fullPrefetch(), [key]: searchset([]) });
      expect(fhir.requests).toEqual([]);
      expect(asNull.status).toBe(200);
      expect(asNull.body.cards.map((c: any) => c.summary)).toEqual(asEmpty.body.cards.map((c: any) => c.summary));
    });

    if (dataOf[key]!.length > 1) {
      it(`${key}: searchset with a next link -> the rest is fetched`, async () => {
        expectBaselineCard(await hook({ ...fullPrefetch(), [key]: pagedFirst(key) }));
        const rest = dataOf[key]!.length - 1;
        expect(inputRequests()[0]).toBe(`${typeOf[key]}?patient=p1&_count=2&_offset=1`);
        expect(inputRequests()).toHaveLength(Math.ceil(rest / 2));
        expect(inputRequests().every((r) => r.startsWith(`${typeOf[key]}?`))).toBe(true);
      });
    }

    if (dataOf[key]!.length === 1) {
      it(`${key}: a bare resource instead of a Bundle -> used as a one-result search`, async () => {
        expectBaselineCard(await hook({ ...fullPrefetch(), [key]: dataOf[key]![0] }));
        expect(fhir.requests).toEqual([]);
      });
    }
  }

  it("a mix of every state at once gives the same card", async () => {
    const res = await hook({
      patient: null,
      conditions: pagedFirst("conditions"),
      encounters: searchset(record.encounters),
      medicationStatements: searchset([]),
      // medicationRequests, medicationDispenses and bodyMeasures absent
    });
    expectBaselineCard(res);
    expect(inputRequests().map((r) => r.split("?")[0]).sort()).toEqual(["Condition", "Condition", "MedicationDispense", "MedicationRequest", "Observation", "Patient/p1"]);
  });

  it("ignores warning and information OperationOutcome entries and unrelated resource types inside a searchset", async () => {
    const notes = { ...OUTCOME, issue: [{ severity: "warning", code: "processing", diagnostics: "_sort ignored" }, { severity: "information", code: "informational" }] };
    const noisy = searchset([...record.conditions, notes, record.medicationRequests[0]!]);
    expectBaselineCard(await hook({ ...fullPrefetch(), conditions: noisy }));
  });

  for (const key of ["patient", ...SEARCH_KEYS]) {
    it(`${key}: a searchset whose OperationOutcome entry reports an error -> not fetched again: 412 if required, a caveat if not`, async () => {
      // The key's own data, with the error beside it: the EHR's search answered only in part.
      const value = fullPrefetch()[key] as Bundle | Resource;
      const bundle = value.resourceType === "Bundle" ? (value as Bundle) : searchset([value]);
      const partial = { ...bundle, entry: [...(bundle.entry ?? []), { resource: { ...OUTCOME, issue: [{ severity: "fatal", code: "timeout" }] }, search: { mode: "outcome" } }] };
      expectFailedKey(key, await hook({ ...fullPrefetch(), [key]: partial }), "the EHR's prefetch Bundle reports an error with the search (OperationOutcome entry)");
    });
  }

  describe("without fhirServer to fall back on", () => {
    for (const key of ["patient", "conditions", "encounters", "medicationRequests"]) {
      it(`412 when required ${key} is absent or an OperationOutcome`, async () => {
        const prefetch = fullPrefetch();
        delete prefetch[key];
        const absent = await hook(prefetch, false);
        expect(absent.status).toBe(412);
        expect(absent.body.issue[0].diagnostics).toContain(key);
        expect((await hook({ ...fullPrefetch(), [key]: OUTCOME }, false)).status).toBe(412);
      });
    }

    it("412 when a next link cannot be followed", async () => {
      const res = await hook({ ...fullPrefetch(), conditions: pagedFirst("conditions") }, false);
      expect(res.status).toBe(412);
    });

    it("a card with a caveat when optional data (body measures) is missing", async () => {
      const prefetch = fullPrefetch();
      delete prefetch.bodyMeasures;
      const res = await hook(prefetch, false);
      expect(res.status).toBe(200);
      expect(res.body.cards[0].detail).toContain("could not supply BMI, weight and height");
      // Not known to be missing: it could not be read.
      expect(res.body.cards[0].detail).not.toContain("No BMI on record");
    });
  });

  describe("malformed prefetch values -> 400", () => {
    const cases: [string, unknown][] = [
      ["a string", "Condition?patient=p1"],
      ["an array", [record.conditions[0]]],
      ["an object without resourceType", { entry: [] }],
      ["a Bundle whose entry is not an array", { resourceType: "Bundle", type: "searchset", entry: {} }],
      ["a Bundle entry without resourceType", { resourceType: "Bundle", type: "searchset", entry: [{ resource: { id: "x" } }] }],
      ["a Bundle with a next link without url", { resourceType: "Bundle", type: "searchset", link: [{ relation: "next" }] }],
    ];
    for (const [what, value] of cases) {
      it(what, async () => {
        const res = await hook({ ...fullPrefetch(), conditions: value });
        expect(res.status).toBe(400);
        expect(res.body.issue[0].diagnostics).toContain("prefetch.conditions");
      });
    }

    it("the patient key holding a Condition", async () => {
      const res = await hook({ ...fullPrefetch(), patient: record.conditions[0] });
      expect(res.status).toBe(400);
    });
  });
});
