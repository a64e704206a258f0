// @vitest-environment jsdom
/**
 * "The body measures were not read in full" through the whole app: with the Observations granted
 * only in part (a granular scope), failing, or read in full and holding no BMI, the risk, the
 * what-if and data quality say the same thing (load-record.ts, bodyMeasuresUnread): a BMI not
 * read is "not known", never "none recorded". The record is read from msw with the session
 * fhirclient's ready() restores; the risk is a flat model's.
 */
import { screen } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import type { RiskModelInfo } from "../../shared/inference/index.ts";
import { flatModel } from "../support/flat-model.ts";
import { BASE, launchAppUntilRisk, useFhirServerForPatient } from "./stored-smart-session.tsx";

const VITAL_SIGNS = "category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs";
const READ = ["Patient", "Condition", "Encounter", "MedicationRequest", "MedicationStatement", "MedicationDispense", "Procedure"];
const scope = (observations: string) => [...READ.map((t) => `patient/${t}.rs`), observations].join(" ");

const INFO = { name: "deep-koa", version: "9.8.7", specVersion: "koa-features/2", trainedAt: "2026-03-04T00:00:00Z" } as RiskModelInfo;
const models = Promise.resolve({ risk: { ...flatModel(0.03), info: INFO }, baseline: flatModel(0.01) });

// No Observation anywhere: whatever was read, no BMI is found.
const server = useFhirServerForPatient();


const text = (testId: string) => screen.getByTestId(testId).textContent ?? "";

describe("body measures not read in full, said alike by the risk, the what-if and data quality", () => {
  it("granted only in part: the BMI is not known in all three", async () => {
    await launchAppUntilRisk(scope(`patient/Observation.rs?${VITAL_SIGNS}`), models);
    const partly = `Only part of the BMI, weight and height (Observation) was granted (${VITAL_SIGNS}): what lies outside it is not known.`;
    expect(text("risk-summary")).not.toContain("No BMI is recorded");
    expect(text("risk-summary")).toContain(partly);
    expect(text("what-if")).toContain(`The BMI on record is not known. ${partly}`);
    expect(text("data-quality")).toContain("BMI, weight and height: not known, since they could not be read in full.");
  });

  it("failing: the BMI is not known in all three", async () => {
    server.use(http.get(`${BASE}/Observation`, () => new HttpResponse(null, { status: 500 })));
    await launchAppUntilRisk(scope("patient/Observation.rs"), models);
    const failed = "The BMI, weight and height (Observation) could not be read (HTTP 500).";
    expect(text("risk-summary")).not.toContain("No BMI is recorded");
    expect(text("risk-summary")).toContain(failed);
    expect(text("what-if")).toContain(`The BMI on record is not known. ${failed}`);
    expect(text("data-quality")).toContain("BMI, weight and height: not known, since they could not be read in full.");
  });

  it("read in full with none: none is recorded, in all three", async () => {
    await launchAppUntilRisk(scope("patient/Observation.rs"), models);
    expect(text("risk-summary")).toContain("No BMI is recorded: the estimate does not know the patient's weight.");
    expect(text("what-if")).toContain("No BMI is recorded now.");
    expect(text("data-quality")).toContain("No BMI, weight and height recorded before the index date.");
  });
});
