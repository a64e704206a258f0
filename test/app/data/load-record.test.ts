// @vitest-environment jsdom
/**
 * The record loader with a real fhirclient Client against a FHIR server mocked by msw: every
 * page followed, a failing type and a type not granted reported in their own place, and
 * another patient's resources dropped by the shared patient rule.
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRecord, riskInput } from "../../../app/data/load-record.ts";
import { fhirTestClient, searchset as bundle } from "./fhir-test-client.ts";

const BASE = "https://ehr.example/fhir";
const PATIENT = "p1";

const condition = (id: string, patient: string) => ({ resourceType: "Condition", id, subject: { reference: `Patient/${patient}` } });
const observation = (id: string, system: string, code: string) => ({
  resourceType: "Observation",
  id,
  status: "final",
  code: { coding: [{ system, code }] },
  subject: { reference: `Patient/${PATIENT}` },
});

const server = setupServer(
  http.get(`${BASE}/Patient/${PATIENT}`, () => HttpResponse.json({ resourceType: "Patient", id: PATIENT })),
  http.get(`${BASE}/Condition`, ({ request }) =>
    new URL(request.url).searchParams.get("_offset") === "2"
      ? HttpResponse.json(bundle([condition("c3", PATIENT)]))
      : HttpResponse.json(bundle([condition("c1", PATIENT), condition("c2", "someone-else")], `${BASE}/Condition?patient=${PATIENT}&_offset=2`)),
  ),
  http.get(`${BASE}/Encounter`, () => HttpResponse.json(bundle([]))),
  http.get(`${BASE}/MedicationRequest`, () => HttpResponse.json(bundle([]))),
  http.get(`${BASE}/MedicationStatement`, () => new HttpResponse("down", { status: 500 })),
  // The body-measure query gets a BMI and, as from a server that ignores `code`, a glucose
  // result; the KL-grade query (the card's context) gets a KL grade.
  http.get(`${BASE}/Observation`, ({ request }) => {
    const code = new URL(request.url).searchParams.get("code") ?? "";
    if (code.includes("39156-5")) {
      return HttpResponse.json(bundle([observation("bmi", "http://loinc.org", "39156-5"), observation("glucose", "http://loinc.org", "2345-7")]));
    }
    if (code === "https://patella.example.org/fhir/CodeSystem/imaging-ai|kl-grade") {
      return HttpResponse.json(bundle([observation("kl", "https://patella.example.org/fhir/CodeSystem/imaging-ai", "kl-grade")]));
    }
    return HttpResponse.json(bundle([]));
  }),
  http.get(`${BASE}/ImagingStudy`, () => HttpResponse.json(bundle([]))),
);

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

const ALL = ["Patient", "Condition", "Encounter", "MedicationRequest", "MedicationStatement", "Observation", "ImagingStudy"]
  .map((t) => `patient/${t}.rs`)
  .join(" ");

function client() {
  return fhirTestClient(BASE, { access_token: "t", patient: PATIENT, scope: ALL });
}

describe("loadRecord", () => {
  it("follows every page, drops another patient's resources and counts them", async () => {
    const record = await loadRecord(client(), PATIENT, ALL);
    const conditions = record.queries.find((q) => q.query.key === "conditions")?.outcome;
    expect(conditions?.status).toBe("loaded");
    if (conditions?.status !== "loaded") return;
    expect(conditions.resources.map((r) => r.id)).toEqual(["c1", "c3"]);
    expect(conditions.dropped).toEqual({ "another patient": 1 });
  });

  it("reports a failing type and a type not granted in their own place; the rest loads", async () => {
    const record = await loadRecord(client(), PATIENT, ALL);
    const byKey = new Map(record.queries.map((q) => [q.query.key, q.outcome]));
    expect(byKey.get("medicationStatements")).toMatchObject({ status: "failed", message: "could not be read (HTTP 500)" });
    // DiagnosticReport is not in the grant: never asked for (msw would refuse the request).
    expect(byKey.get("diagnosticReports")).toEqual({ status: "not-granted" });
    expect(byKey.get("medicationDispenses")).toEqual({ status: "not-granted" });
    expect(byKey.get("patient")).toMatchObject({ status: "loaded" });
    const input = riskInput(record);
    expect(input.missingRequired).toEqual([]);
    expect(input.resources.map((r) => `${r.resourceType}/${r.id}`)).toEqual(["Patient/p1", "Condition/c1", "Condition/c3", "Observation/bmi"]);
  });

  it("says why a refused query was refused, in the OperationOutcome's own words, clipped", async () => {
    const outcome = (...diagnostics: string[]) => ({
      resourceType: "OperationOutcome",
      issue: diagnostics.map((text) => ({ severity: "error", code: "forbidden", diagnostics: text })),
    });
    server.use(
      http.get(`${BASE}/Encounter`, () => HttpResponse.json(outcome("Access to Encounter denied by policy", "ask the privacy office"), { status: 403 })),
      http.get(`${BASE}/MedicationRequest`, () => HttpResponse.json(outcome("y".repeat(500)), { status: 403 })),
    );
    try {
      const byKey = new Map((await loadRecord(client(), PATIENT, ALL)).queries.map((q) => [q.query.key, q.outcome]));
      expect(byKey.get("encounters")).toEqual({ status: "failed", message: "could not be read (HTTP 403: Access to Encounter denied by policy; ask the privacy office)" });
      // 200 characters of the server's words, then an ellipsis.
      expect(byKey.get("medicationRequests")).toEqual({ status: "failed", message: `could not be read (HTTP 403: ${"y".repeat(200)}…)` });
      // An error body that is not an OperationOutcome adds nothing ("down", above).
      expect(byKey.get("medicationStatements")).toEqual({ status: "failed", message: "could not be read (HTTP 500)" });
    } finally {
      server.resetHandlers();
    }
  });

  it("keeps the KL grades behind the imaging caveat out of the model's input, as the CDS service does", async () => {
    const input = riskInput(await loadRecord(client(), PATIENT, ALL));
    expect(input.cardContext.map((r) => `${r.resourceType}/${r.id}`)).toEqual(["Observation/kl"]);
    expect(input.resources.map((r) => r.id)).not.toContain("kl");
  });

  it("sets aside and counts what the body-measure query returned beyond body measures (the shared model-input rule)", async () => {
    const record = await loadRecord(client(), PATIENT, ALL);
    const bodyMeasures = record.queries.find((q) => q.query.key === "bodyMeasures")?.outcome;
    expect(bodyMeasures).toMatchObject({ status: "loaded", notModelInput: 1 });
    expect(riskInput(record).resources.map((r) => r.id)).not.toContain("glucose");
  });

  it("without a granted required type, the risk input names it as missing", async () => {
    const narrower = ALL.replace("patient/Encounter.rs", "");
    const record = await loadRecord(client(), PATIENT, narrower);
    expect(riskInput(record).missingRequired.map((q) => q.query.key)).toEqual(["encounters"]);
  });
});
