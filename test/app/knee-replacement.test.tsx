// @vitest-environment jsdom
/**
 * The knee-replacement caveat through the whole app: the record read from a FHIR server (msw)
 * with the session fhirclient's ready() restores, the risk computed, the caveat beside it; and a
 * Procedure query that fails or is not granted, which leaves the risk shown and is said beside it
 * and under data quality.
 */
import { screen, waitFor } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import type { RiskModelInfo } from "../../shared/inference/index.ts";
import { condition, icd10, procedure, snomed } from "../support/fhir-builders.ts";
import { flatModel } from "../support/flat-model.ts";
import { BASE, launchAppUntilRisk, useFhirServerForPatient } from "./stored-smart-session.tsx";

const INDEX_DATE = "2026-01-02";
const TKR = snomed("609588000"); // Total knee replacement
const READ = ["Patient", "Condition", "Encounter", "MedicationRequest", "MedicationStatement", "MedicationDispense", "Observation"];
const scope = (types: readonly string[]) => types.map((t) => `patient/${t}.rs`).join(" ");

const INFO = { name: "deep-koa", version: "9.8.7", specVersion: "koa-features/2", trainedAt: "2026-03-04T00:00:00Z" } as RiskModelInfo;
// The same probability for every patient and month: only the caveats beside it are under test.
const models = Promise.resolve({ risk: { ...flatModel(0.03), info: INFO }, baseline: flatModel(0.01) });

const searchset = (resources: readonly object[]) => ({ resourceType: "Bundle", type: "searchset", entry: resources.map((resource) => ({ resource })) });

const PROCEDURES = [
  procedure(TKR, { performedDateTime: "2022-05-10" }, { id: "tkr" }),
  // Later, and neither may count: one not done, one of another patient.
  procedure(TKR, { performedDateTime: "2024-03-01" }, { id: "tkr-not-done", status: "not-done" }),
  { ...procedure(TKR, { performedDateTime: "2024-06-01" }, { id: "tkr-other" }), subject: { reference: "Patient/someone-else" } },
];

const server = useFhirServerForPatient(http.get(`${BASE}/Procedure`, () => HttpResponse.json(searchset(PROCEDURES))));


const caveats = () => screen.queryAllByTestId("data-caveat").map((li) => li.textContent);
const quality = () => screen.getByTestId("data-quality").textContent ?? "";

describe("the knee-replacement caveat in the app", () => {
  it("is said beside the risk for this patient's knee replacement, dated by the one performed", async () => {
    await launchAppUntilRisk(scope([...READ, "Procedure"]), models, INDEX_DATE);
    expect(screen.getByTestId("risk-value").textContent).toBe("3.0%");
    const caveat = screen.getByTestId("knee-replaced-caveat");
    expect(caveat.textContent).toContain("A knee replacement is on record (most recently 2022-05-10)");
    expect([...caveat.querySelectorAll("time")].map((t) => t.textContent)).toEqual(["2022-05-10"]);
    expect(caveats()).toEqual([]);
  });

  it("is said for an artificial knee joint among the diagnoses (Z96.651)", async () => {
    server.use(
      http.get(`${BASE}/Condition`, () => HttpResponse.json(searchset([condition(icd10("Z96.651"), { onsetDateTime: "2023-08-20" })]))),
      http.get(`${BASE}/Procedure`, () => HttpResponse.json(searchset([]))),
    );
    await launchAppUntilRisk(scope([...READ, "Procedure"]), models, INDEX_DATE);
    expect(screen.getByTestId("knee-replaced-caveat").textContent).toContain("A knee replacement is on record (most recently 2023-08-20)");
  });

  it("is not said for a knee replacement not done alone", async () => {
    server.use(http.get(`${BASE}/Procedure`, () => HttpResponse.json(searchset([PROCEDURES[1]!]))));
    await launchAppUntilRisk(scope([...READ, "Procedure"]), models, INDEX_DATE);
    expect(screen.queryByTestId("knee-replaced-caveat")).toBeNull();
    expect(screen.getByTestId("risk-summary").textContent).not.toContain("knee replacement");
  });

  it("when the procedures fail, the risk is still shown, and the failure is said beside it and under data quality", async () => {
    server.use(http.get(`${BASE}/Procedure`, () => new HttpResponse("down", { status: 500 })));
    await launchAppUntilRisk(scope([...READ, "Procedure"]), models, INDEX_DATE);
    expect(screen.getByTestId("risk-value").textContent).toBe("3.0%");
    expect(screen.queryByTestId("knee-replaced-caveat")).toBeNull();
    expect(caveats()).toEqual([
      "Procedures could not be read: a knee replacement would be noted here only if the diagnoses record an artificial knee joint. " +
        "The procedures (knee replacement) (Procedure) could not be read (HTTP 500).",
    ]);
    await waitFor(() => expect(quality()).toContain("The procedures (knee replacement) (Procedure) could not be read (HTTP 500)."));
  });

  it("when the procedures are not granted, they are never asked for, the risk is still shown, and that is said", async () => {
    // msw refuses any request it has no handler for: a Procedure search would fail this test.
    server.use(http.get(`${BASE}/Procedure`, () => HttpResponse.error()));
    await launchAppUntilRisk(scope(READ), models, INDEX_DATE);
    expect(screen.getByTestId("risk-value").textContent).toBe("3.0%");
    expect(caveats()).toEqual([
      "Procedures could not be read: a knee replacement would be noted here only if the diagnoses record an artificial knee joint. " +
        "Not shown: the EHR did not grant access to procedures (knee replacement) (Procedure).",
    ]);
    await waitFor(() => expect(quality()).toContain("Not shown: the EHR did not grant access to procedures (knee replacement) (Procedure)."));
  });
});
