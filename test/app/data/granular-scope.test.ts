// @vitest-environment jsdom
/**
 * A type granted only with a granular SMART v2 scope (`patient/Observation.rs?category=...`) is
 * read with that restriction added to each of its searches, one search per restriction, and its
 * queries end as loaded but partial, which the sections that show them say.
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRecord } from "../../../app/data/load-record.ts";
import { queryProblem } from "../../../app/views/QueryStatus.tsx";
import { fhirTestClient, searchset } from "./fhir-test-client.ts";

const BASE = "https://ehr.example/fhir";
const PATIENT = "p1";
const VITAL_SIGNS = "http://terminology.hl7.org/CodeSystem/observation-category|vital-signs";

/** The category parameters of each Observation search, as the server received them. */
const observationSearches: string[][] = [];

const bmi = { resourceType: "Observation", id: "bmi", status: "final", code: { coding: [{ system: "http://loinc.org", code: "39156-5" }] }, subject: { reference: `Patient/${PATIENT}` } };

const server = setupServer(
  http.get(`${BASE}/Patient/${PATIENT}`, () => HttpResponse.json({ resourceType: "Patient", id: PATIENT })),
  http.get(`${BASE}/Observation`, ({ request }) => {
    const categories = new URL(request.url).searchParams.getAll("category");
    observationSearches.push(categories);
    // A server that enforces the restriction: only searches within vital signs are answered.
    if (!categories.includes(VITAL_SIGNS)) return HttpResponse.json({ resourceType: "OperationOutcome", issue: [{ severity: "error", code: "forbidden" }] }, { status: 403 });
    return HttpResponse.json(searchset(categories.includes("imaging") ? [] : [bmi]));
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

describe("a type granted with a granular scope", () => {
  it("searches with the granted restriction, and ends loaded but partial, said where the query is shown", async () => {
    const scope = `launch patient/Patient.rs patient/Observation.rs?category=${VITAL_SIGNS}`;
    const record = await loadRecord(fhirTestClient(BASE, { access_token: "t", patient: PATIENT, scope }), PATIENT, scope);
    const outcome = (key: string) => record.queries.find((q) => q.query.key === key)!;

    const bodyMeasures = outcome("bodyMeasures");
    expect(bodyMeasures.outcome).toMatchObject({ status: "loaded", partial: [`category=${VITAL_SIGNS}`] });
    expect(bodyMeasures.outcome.status === "loaded" && bodyMeasures.outcome.resources.map((r) => r.id)).toEqual(["bmi"]);
    expect(queryProblem(bodyMeasures)).toBe(
      `Only part of the BMI, weight and height (Observation) was granted (category=${VITAL_SIGNS}): what lies outside it is not known.`,
    );
    // Every Observation query asked within vital signs, the imaging one as well (AND: nothing outside it).
    expect(observationSearches.every((categories) => categories.includes(VITAL_SIGNS))).toBe(true);
    expect(outcome("imagingObservations").outcome).toMatchObject({ status: "loaded", partial: [`category=${VITAL_SIGNS}`], resources: [] });
    // A type granted in full is not partial.
    expect(outcome("patient").outcome).not.toHaveProperty("partial");
    expect(outcome("conditions").outcome).toEqual({ status: "not-granted" });
  });
});
