// @vitest-environment jsdom
/** The risk summary says the card's osteoarthritis caveat beside the risk, in the card's words. */
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { buildRiskCard } from "../../../cds-service/cards/build-risk-card.ts";
import type { RiskAssessmentResult } from "../../../shared/assess-risk.ts";
import type { OaSiteNotStated } from "../../../shared/oa-site-not-stated.ts";
import type { PatientAssessment } from "../../../app/risk/assess-patient.ts";
import { RiskSummary } from "../../../app/views/RiskSummary.tsx";
import { exampleCardOptions } from "../../support/card-options.ts";

afterEach(cleanup);

const FOUND: OaSiteNotStated = { date: "2023-02-03" };

function riskWith(oaSiteNotStated?: OaSiteNotStated | null): PatientAssessment {
  const result = {
    probability: 0.032,
    tier: "moderate",
    eligibility: { eligible: true, reasons: [], warnings: [] },
    features: { demographics: { sex: "female" } },
    model: {},
  } as unknown as RiskAssessmentResult;
  return { result, ...(oaSiteNotStated !== undefined && { oaSiteNotStated }) };
}

describe("RiskSummary's osteoarthritis caveat", () => {
  it("is the very paragraph of the card built for the same record", () => {
    render(<RiskSummary state={{ status: "done", value: riskWith(FOUND) }} missing={[]} />);
    const shown = screen.getByTestId("oa-site-caveat").textContent;
    expect(shown).toContain("Osteoarthritis without a stated joint is on record (most recently 2023-02-03)");
    const card = buildRiskCard(
      { patientId: "p1", probability: 0.032, tier: "moderate", drivers: [], warnings: [], bmi: 27, historyYears: 3, sex: "female", baselineProbability: 0.01, oaSiteNotStated: FOUND },
      exampleCardOptions("0f6f7c2e-6a43-4c1e-9d3b-5a8f3a2b1c03"),
    );
    expect(card.detail!.split("\n\n")).toContain(shown);
    // The date kept on one line in a 360 px panel, as every date the app shows.
    expect([...screen.getByTestId("oa-site-caveat").querySelectorAll("time")].map((t) => t.textContent)).toEqual(["2023-02-03"]);
  });

  it("says nothing without such a Condition", () => {
    render(<RiskSummary state={{ status: "done", value: riskWith(null) }} missing={[]} />);
    expect(screen.queryByTestId("oa-site-caveat")).toBeNull();
    cleanup();
    render(<RiskSummary state={{ status: "done", value: riskWith() }} missing={[]} />);
    expect(screen.getByTestId("risk-summary").textContent).not.toContain("without a stated joint");
  });
});
