// @vitest-environment jsdom
/**
 * A part of the record that could not be read (failed, or not granted) is said where it changes
 * what a section shows: beside the risk in the card's own words, and as "not known" where a
 * section would otherwise claim "none" or "not recorded".
 */
import { cleanup, render, screen } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { buildRiskCard } from "../../../cds-service/cards/build-risk-card.ts";
import type { RiskAssessmentResult } from "../../../shared/assess-risk.ts";
import type { PatientFeatures } from "../../../shared/features/types.ts";
import type { WhatIfResult } from "../../../shared/what-if-bmi.ts";
import { type LoadedQuery, type LoadedRecord, type QueryOutcome, riskInput } from "../../../app/data/load-record.ts";
import { RECORD_QUERIES } from "../../../app/data/record-queries.ts";
import { ImagingPanel } from "../../../app/imaging/ImagingPanel.tsx";
import type { PatientAssessment } from "../../../app/risk/assess-patient.ts";
import { DataQuality } from "../../../app/views/DataQuality.tsx";
import { RiskSummary } from "../../../app/views/RiskSummary.tsx";
import { WhatIf } from "../../../app/views/WhatIf.tsx";
import { exampleCardOptions } from "../../support/card-options.ts";

afterEach(cleanup);

const LOADED: QueryOutcome = { status: "loaded", resources: [], dropped: {}, notModelInput: 0 };
const HTTP_500: QueryOutcome = { status: "failed", message: "could not be read (HTTP 500)" };
const NOT_GRANTED: QueryOutcome = { status: "not-granted" };
const VITAL_SIGNS_ONLY = "category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs";
const PARTIAL: QueryOutcome = { ...LOADED, partial: [VITAL_SIGNS_ONLY] } as QueryOutcome;

/** Every query loaded and empty, but for the outcomes given by key. */
function record(outcomes: Record<string, QueryOutcome>): LoadedRecord {
  return { patientId: "p1", queries: RECORD_QUERIES.map((query) => ({ query, outcome: outcomes[query.key] ?? LOADED })) };
}

const query = (key: string, outcome: QueryOutcome): LoadedQuery => ({ query: RECORD_QUERIES.find((q) => q.key === key)!, outcome });

function assessment(warnings: RiskAssessmentResult["eligibility"]["warnings"] = []): PatientAssessment {
  const result = {
    probability: 0.041,
    tier: "moderate",
    eligibility: { eligible: true, reasons: [], warnings },
    features: { demographics: { sex: "female", bmi: null } } as unknown as RiskAssessmentResult["features"],
    model: {} as RiskAssessmentResult["model"],
  };
  return { result: result as RiskAssessmentResult };
}

const summary = () => screen.getByTestId("risk-summary").textContent ?? "";

describe("the optional parts of the record the risk is made without", () => {
  it("are the optional risk queries not loaded, never a required one or the imaging panel's", () => {
    const input = riskInput(
      record({ medicationStatements: HTTP_500, medicationDispenses: NOT_GRANTED, conditions: HTTP_500, imagingStudies: HTTP_500 }),
    );
    expect(input.unavailable.map((q) => q.query.key)).toEqual(["medicationStatements", "medicationDispenses"]);
    expect(input.missingRequired.map((q) => q.query.key)).toEqual(["conditions"]);
  });

  it("count a query granted only in part: an optional one is said beside the risk, a required one stops it", () => {
    const input = riskInput(record({ bodyMeasures: PARTIAL, conditions: { ...LOADED, partial: ["category=problem-list-item"] } as QueryOutcome }));
    expect(input.unavailable.map((q) => q.query.key)).toEqual(["bodyMeasures"]);
    expect(input.missingRequired.map((q) => q.query.key)).toEqual(["conditions"]);
  });

  it("say a part granted only in part as such: the estimate is made from that part, and a missing BMI is not known", () => {
    render(<RiskSummary state={{ status: "done", value: assessment(["no_bmi"]) }} missing={[]} unavailable={[query("bodyMeasures", PARTIAL)]} />);
    expect(screen.getAllByTestId("data-caveat").map((li) => li.textContent)).toEqual([
      `Only part of the BMI, weight and height (Observation) was granted (${VITAL_SIGNS_ONLY}): what lies outside it is not known. The estimate is made from the part granted.`,
    ]);
    expect(summary()).not.toContain("No BMI is recorded");
  });

  it("are said beside the risk in the card's sentence, each with why", () => {
    const unavailable = [query("medicationStatements", HTTP_500), query("medicationDispenses", NOT_GRANTED)];
    render(<RiskSummary state={{ status: "done", value: assessment() }} missing={[]} unavailable={unavailable} />);
    const card = buildRiskCard(
      { patientId: "p1", probability: 0.041, tier: "moderate", drivers: [], warnings: [], bmi: 27, historyYears: 3, sex: "female", baselineProbability: null },
      { ...exampleCardOptions("0f6f7c2e-6a43-4c1e-9d3b-5a8f3a2b1c09"), unavailableData: unavailable.map((q) => ({ query: q.query })) },
    );
    const caveats = screen.getAllByTestId("data-caveat").map((li) => li.textContent);
    expect(caveats).toEqual([
      "The EHR could not supply medication statements; the estimate is made without them. The medication statements (MedicationStatement) could not be read (HTTP 500).",
      "The EHR could not supply dispensed medications; the estimate is made without them. Not shown: the EHR did not grant access to dispensed medications (MedicationDispense).",
    ]);
    // The card's own lines, word for word.
    expect(card.detail).toContain("- The EHR could not supply medication statements; the estimate is made without them.\n");
    expect(card.detail).toContain("- The EHR could not supply dispensed medications; the estimate is made without them.");
  });

  it("an unread body-measure query is not 'no BMI recorded': it says the measures could not be read", () => {
    render(<RiskSummary state={{ status: "done", value: assessment(["no_bmi"]) }} missing={[]} unavailable={[query("bodyMeasures", HTTP_500)]} />);
    expect(summary()).not.toContain("No BMI is recorded");
    expect(summary()).toContain("The BMI, weight and height (Observation) could not be read (HTTP 500).");
  });

  it("a BMI truly absent from a read record is still said so", () => {
    render(<RiskSummary state={{ status: "done", value: assessment(["no_bmi"]) }} missing={[]} unavailable={[]} />);
    expect(summary()).toContain("No BMI is recorded: the estimate does not know the patient's weight.");
  });

  it("unread KL grades are said beside the risk, since the card's imaging caveat cannot be", () => {
    render(<RiskSummary state={{ status: "done", value: assessment() }} missing={[]} unavailable={[query("kneeKlGrades", HTTP_500)]} />);
    expect(screen.getAllByTestId("data-caveat").map((li) => li.textContent)).toEqual([
      "Imaging grades could not be read: a radiograph that already shows knee OA would not be noted here. The imaging AI knee KL grades (Observation) could not be read (HTTP 500).",
    ]);
  });

  it("unread procedures are said beside the risk: a knee replacement then shows only through the diagnoses", () => {
    render(<RiskSummary state={{ status: "done", value: assessment() }} missing={[]} unavailable={[query("procedures", NOT_GRANTED)]} />);
    expect(screen.getAllByTestId("data-caveat").map((li) => li.textContent)).toEqual([
      "Procedures could not be read: a knee replacement would be noted here only if the diagnoses record an artificial knee joint. " +
        "Not shown: the EHR did not grant access to procedures (knee replacement) (Procedure).",
    ]);
  });

  it("each query of the card's context, unread, says in its own sentence which caveat it leaves unsaid", () => {
    const context = RECORD_QUERIES.filter((q) => q.use === "card-context");
    render(<RiskSummary state={{ status: "done", value: assessment() }} missing={[]} unavailable={context.map((q) => query(q.key, HTTP_500))} />);
    const sentences = screen.getAllByTestId("data-caveat").map((li) => li.textContent?.split(" The ")[0]);
    expect(sentences).toHaveLength(context.length);
    expect(new Set(sentences).size).toBe(context.length);
    for (const sentence of sentences) expect(sentence).toMatch(/^[A-Z].* could not be read: /);
  });
});

describe("the what-if", () => {
  const answer = (probability: number): Promise<WhatIfResult> => Promise.resolve({ bmi: 45, probability, usedBmi: 45 });

  it("names the tier of the what-if risk and of the risk now", async () => {
    render(<WhatIf probability={0.057} bmi={30} compute={() => answer(0.048)} />);
    const box = screen.getByTestId("what-if-bmi");
    await userEvent.clear(box);
    await userEvent.type(box, "45");
    // 4.8% is in [1%, 5%): Moderate; 5.7% is at or above 5%: High.
    // (A higher BMI with a lower risk: the against-evidence sentence follows.)
    expect((await screen.findByText(/With BMI 45\.0/)).textContent).toContain(
      "With BMI 45.0: 4.8% (Moderate risk) compared with 5.7% (High risk) now, 0.9 percentage points lower.",
    );
  });

  it("does not say no BMI is recorded when the body measures could not be read", () => {
    render(<WhatIf probability={0.057} bmi={null} bmiUnread={query("bodyMeasures", HTTP_500)} compute={() => answer(0.048)} />);
    const hint = screen.getByTestId("what-if").textContent ?? "";
    expect(hint).not.toContain("No BMI is recorded");
    expect(hint).toContain("The BMI on record is not known. The BMI, weight and height (Observation) could not be read (HTTP 500).");
  });
});

function features(bmi: number | null): PatientFeatures {
  return {
    demographics: { sex: "female", bmi, historyYears: 3 },
    eligibility: { eligible: true, reasons: [], warnings: [] },
    quality: { skipped: {}, unmappedCodes: {}, resourcesUsed: 12, ignoredOnOrAfterIndex: 0 },
  } as unknown as PatientFeatures;
}

describe("data quality", () => {
  const section = () => screen.getByTestId("data-quality").textContent ?? "";

  it("says the BMI is not known, not that none is recorded, when the body measures could not be read", () => {
    render(<DataQuality record={record({ bodyMeasures: HTTP_500 })} features={features(null)} />);
    expect(section()).not.toContain("No BMI, weight and height recorded");
    expect(section()).toContain("BMI, weight and height: not known, since they could not be read in full.");
    cleanup();
    render(<DataQuality record={record({ bodyMeasures: PARTIAL })} features={features(null)} />);
    expect(section()).toContain("BMI, weight and height: not known, since they could not be read in full.");
  });

  it("says none recorded when the body measures were read and hold none", () => {
    render(<DataQuality record={record({})} features={features(null)} />);
    expect(section()).toContain("No BMI, weight and height recorded before the index date.");
  });

  it("claims no 'none' when the model read nothing (a required type missing)", () => {
    render(<DataQuality record={record({ conditions: { status: "failed", message: "could not be read (HTTP 503)" } })} />);
    expect(section()).not.toContain("None");
    expect(section()).toContain("Skipped recordsNot known: no risk was computed, so the model did not read the record.");
    expect(section()).toContain("Codes not recognisedNot known: no risk was computed, so the model did not read the record.");
  });

  it("still says none when the model read the record and skipped nothing", () => {
    render(<DataQuality record={record({})} features={features(27)} />);
    expect(section()).toContain("Skipped recordsNone.");
    expect(section()).toContain("None: every code matched a value set or was not needed.");
  });
});

describe("imaging", () => {
  const imagingQueries = (outcomes: Record<string, QueryOutcome>) => record(outcomes).queries.filter((q) => q.query.use === "imaging");

  it("says the studies and AI results are not known when their queries were not granted", () => {
    render(<ImagingPanel indexDate="2026-01-01" resources={[]} queries={imagingQueries({ imagingStudies: NOT_GRANTED, diagnosticReports: NOT_GRANTED, imagingObservations: NOT_GRANTED })} />);
    const text = screen.getByTestId("imaging").textContent ?? "";
    expect(text).not.toContain("No imaging studies or reports found.");
    expect(text).not.toContain("No imaging AI results for this patient.");
    expect(text).toContain("Not known: the imaging studies or reports were not read (above).");
    expect(text).toContain("Not known: the imaging AI results were not read (above).");
  });

  it("says none found when every imaging query was read", () => {
    render(<ImagingPanel indexDate="2026-01-01" resources={[]} queries={imagingQueries({})} />);
    const text = screen.getByTestId("imaging").textContent ?? "";
    expect(text).toContain("No imaging studies or reports found.");
    expect(text).toContain("No imaging AI results for this patient.");
  });
});
