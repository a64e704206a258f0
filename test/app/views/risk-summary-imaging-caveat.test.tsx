// @vitest-environment jsdom
/** The risk summary says the card's imaging caveat beside the risk, in the card's words. */
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { buildRiskCard, type CardOptions } from "../../../cds-service/cards/build-risk-card.ts";
import type { RiskAssessmentResult } from "../../../shared/assess-risk.ts";
import type { RecentKneeOaGrade } from "../../../shared/imaging/recent-kl.ts";
import type { PatientAssessment } from "../../../app/risk/assess-patient.ts";
import { RiskSummary } from "../../../app/views/RiskSummary.tsx";
import { exampleCardOptions } from "../../support/card-options.ts";

afterEach(cleanup);

const KL: RecentKneeOaGrade = { grade: 2, side: "right", date: "2025-05-01" };
// The card's sentence for KL above, as the review quotes it.
const SENTENCE =
  "Imaging: AI grading of a radiograph of 2025-05-01 suggests Kellgren-Lawrence grade 2 in the right knee, " +
  "which is radiographic knee OA (not read by a radiologist unless a report says so). " +
  "This estimate is of knee OA being diagnosed in the record; a diagnosis may simply not be recorded yet.";

function assessment(result: Partial<RiskAssessmentResult>, recentKneeOaGrade?: RecentKneeOaGrade | null): PatientAssessment {
  const base = {
    eligibility: { eligible: true, reasons: [], warnings: [] },
    features: { demographics: { sex: "female" } } as RiskAssessmentResult["features"],
    model: {} as RiskAssessmentResult["model"],
  };
  return { result: { ...base, ...result } as RiskAssessmentResult, ...(recentKneeOaGrade !== undefined && { recentKneeOaGrade }) };
}

const risk = (kl?: RecentKneeOaGrade | null) => assessment({ probability: 0.032, tier: "moderate" }, kl);

describe("RiskSummary's imaging caveat", () => {
  it("says a recent KL grade of 2 or more beside the risk", () => {
    render(<RiskSummary state={{ status: "done", value: risk(KL) }} missing={[]} />);
    expect(screen.getByTestId("imaging-caveat").textContent).toBe(SENTENCE);
    expect([...screen.getByTestId("imaging-caveat").querySelectorAll("time")].map((t) => t.textContent)).toEqual(["2025-05-01"]);
    expect(screen.getByTestId("risk-state").textContent).toContain("3.2%");
  });

  it("is the very paragraph of the card built for the same grade", () => {
    render(<RiskSummary state={{ status: "done", value: risk(KL) }} missing={[]} />);
    const options: CardOptions = exampleCardOptions("0f6f7c2e-6a43-4c1e-9d3b-5a8f3a2b1c02");
    const card = buildRiskCard({ patientId: "p1", probability: 0.032, tier: "moderate", drivers: [], warnings: [], bmi: 27, historyYears: 3, sex: "female", baselineProbability: 0.01, recentKneeOaGrade: KL }, options);
    expect(card.detail!.split("\n\n")).toContain(screen.getByTestId("imaging-caveat").textContent);
  });

  it("says nothing about imaging without such a grade", () => {
    render(<RiskSummary state={{ status: "done", value: risk(null) }} missing={[]} />);
    expect(screen.queryByTestId("imaging-caveat")).toBeNull();
    cleanup();
    render(<RiskSummary state={{ status: "done", value: risk() }} missing={[]} />);
    expect(screen.queryByTestId("imaging-caveat")).toBeNull();
    expect(screen.getByTestId("risk-summary").textContent).not.toContain("Kellgren");
  });
});
