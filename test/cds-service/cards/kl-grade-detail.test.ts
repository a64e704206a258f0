import { describe, expect, it } from "vitest";
import { buildRiskCard, type CardOptions, type CardRisk } from "../../../cds-service/cards/build-risk-card.ts";
import { KOA_RISK_DISCOVERY } from "../../../cds-service/routes/cds-services/koa-risk/definition.ts";
import { exampleCardOptions } from "../../support/card-options.ts";

const risk: CardRisk = { patientId: "p1", probability: 0.05, tier: "high", drivers: [], warnings: [], bmi: 30, historyYears: 3, sex: "female", baselineProbability: 0.02 };
const options: CardOptions = exampleCardOptions("0f6f7c2e-6a43-4c1e-9d3b-5a8f3a2b1c01");

describe("the card's mention of a recent KL grade", () => {
  it("says the grade, knee and date in the detail when there is one", () => {
    const card = buildRiskCard({ ...risk, recentKneeOaGrade: { grade: 3, side: "right", date: "2025-05-01" } }, options);
    expect(card.detail).toContain("AI grading of a radiograph of 2025-05-01 suggests Kellgren-Lawrence grade 3 in the right knee");
  });

  it("says nothing about imaging without one", () => {
    expect(buildRiskCard({ ...risk, recentKneeOaGrade: null }, options).detail).not.toContain("Kellgren");
    expect(buildRiskCard(risk, options).detail).not.toContain("Kellgren");
  });

  it("asks for KL grade Observations through an optional prefetch key", () => {
    expect(KOA_RISK_DISCOVERY.prefetch).toMatchObject({
      kneeKlGrades: "Observation?patient={{context.patientId}}&code=https://patella.example.org/fhir/CodeSystem/imaging-ai|kl-grade",
    });
  });
});
