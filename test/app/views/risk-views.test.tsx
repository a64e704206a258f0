// @vitest-environment jsdom
/** RiskSummary never shows a number where it must not; WhatIf recomputes and states the difference. */
import { cleanup, render, screen } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import type { RiskAssessmentResult } from "../../../shared/assess-risk.ts";
import type { PatientAssessment } from "../../../app/risk/assess-patient.ts";
import { RiskSummary } from "../../../app/views/RiskSummary.tsx";
import { WhatIf } from "../../../app/views/WhatIf.tsx";
import { buildRiskCard } from "../../../cds-service/cards/build-risk-card.ts";
import { exampleCardOptions } from "../../support/card-options.ts";

afterEach(cleanup);

function assessment(result: Partial<RiskAssessmentResult>, baselineProbability?: number): PatientAssessment {
  const base = {
    eligibility: { eligible: true, reasons: [], warnings: [] },
    features: { demographics: { sex: "female" } } as RiskAssessmentResult["features"],
    model: {} as RiskAssessmentResult["model"],
  };
  return { result: { ...base, ...result } as RiskAssessmentResult, ...(baselineProbability !== undefined && { baselineProbability }) };
}

describe("RiskSummary", () => {
  it("shows the probability, its tier and the comparison with the same age and sex", () => {
    render(<RiskSummary state={{ status: "done", value: assessment({ probability: 0.057, tier: "high" }, 0.014) }} missing={[]} />);
    expect(screen.getByTestId("risk-value").textContent).toBe("5.7%");
    expect(screen.getByTestId("risk-tier").textContent).toBe("High risk");
    // The block the browser times the risk's first paint by (Element Timing; npm run bench:app).
    expect(screen.getByTestId("risk-value").closest("[elementtiming]")?.getAttribute("elementtiming")).toBe("risk-value");
    // 0.057 / 0.014 = 4.07
    expect(screen.getByTestId("baseline").textContent).toContain("4.1 times the risk of people of the same age and sex (1.4%");
    expect(screen.getByText(/trained on synthetic data/)).toBeTruthy();
  });

  it("compares with the same age and sex in the card's very sentence", () => {
    render(<RiskSummary state={{ status: "done", value: assessment({ probability: 0.015, tier: "moderate" }, 0.025) }} missing={[]} />);
    const card = buildRiskCard(
      { patientId: "p1", probability: 0.015, tier: "moderate", drivers: [], warnings: [], bmi: 27, historyYears: 3, sex: "female", baselineProbability: 0.025 },
      exampleCardOptions("0f6f7c2e-6a43-4c1e-9d3b-5a8f3a2b1c04"),
    );
    expect(screen.getByTestId("baseline").textContent).toBe("Lower than the risk of people of the same age and sex (2.5%, age/sex baseline model).");
    expect(card.detail!.split("\n\n")).toContain(screen.getByTestId("baseline").textContent);
  });

  it("makes no comparison for a sex the age/sex baseline model does not know", () => {
    const features = { demographics: { sex: "unknown" } } as RiskAssessmentResult["features"];
    render(<RiskSummary state={{ status: "done", value: assessment({ probability: 0.02, tier: "moderate", features }, 0.007) }} missing={[]} />);
    expect(screen.getByTestId("risk-value").textContent).toBe("2.0%");
    expect(screen.queryByTestId("baseline")).toBeNull();
  });

  it("an already diagnosed patient gets the state and the date, never a number", () => {
    const value = assessment({
      eligibility: { eligible: false, reasons: ["already_diagnosed"], warnings: [], alreadyDiagnosed: { date: "2025-04-02", precision: "day" } },
    });
    render(<RiskSummary state={{ status: "done", value }} missing={[]} />);
    expect(screen.getByTestId("risk-state").textContent).toContain("first on 2025-04-02");
    expect(screen.queryByTestId("risk-value")).toBeNull();
    expect(screen.getByTestId("risk-summary").textContent).not.toMatch(/\d+\.\d%/);
  });

  it("a diagnosis the record dates by year or month alone is shown so, not as the period's first day", () => {
    const diagnosedIn = (precision: "year" | "month") =>
      assessment({ eligibility: { eligible: false, reasons: ["already_diagnosed"], warnings: [], alreadyDiagnosed: { date: "2013-01-01", precision } } });
    const { unmount } = render(<RiskSummary state={{ status: "done", value: diagnosedIn("year") }} missing={[]} />);
    expect(screen.getByTestId("risk-state").textContent).toContain("(first in 2013)");
    unmount();
    render(<RiskSummary state={{ status: "done", value: diagnosedIn("month") }} missing={[]} />);
    expect(screen.getByTestId("risk-state").textContent).toContain("(first in 2013-01)");
  });

  it("a patient the model does not apply to gets the reason, never a number", () => {
    const value = assessment({ eligibility: { eligible: false, reasons: ["under_min_age"], warnings: [] } });
    render(<RiskSummary state={{ status: "done", value }} missing={[]} />);
    expect(screen.getByTestId("risk-state").getAttribute("data-state")).toBe("not-applicable");
    expect(screen.getByText(/adults only/).textContent).toBe("The model applies to adults only: this patient is under the minimum age of 18.");
    expect(screen.queryByTestId("risk-value")).toBeNull();
  });

  it("a patient born after the index date is told so, not that they are under the minimum age", () => {
    const value = assessment({ eligibility: { eligible: false, reasons: ["born_after_index"], warnings: [] } });
    render(<RiskSummary state={{ status: "done", value }} missing={[]} />);
    expect(screen.getByTestId("risk-state").textContent).toContain("birth date is after the date the risk is for");
    expect(screen.queryByText(/adults only/)).toBeNull();
  });
});

describe("WhatIf", () => {
  it("recomputes when the BMI is typed and states the difference in percentage points", async () => {
    const asked: number[] = [];
    const compute = async (bmi: number) => {
      asked.push(bmi);
      return { bmi, usedBmi: bmi, probability: bmi === 22 ? 0.041 : 0.05 };
    };
    render(<WhatIf probability={0.057} bmi={34.2} compute={compute} />);
    const input = screen.getByLabelText("BMI value");
    await userEvent.clear(input);
    await userEvent.type(input, "22");
    const result = await screen.findByText(/With BMI 22\.0/);
    expect(asked.at(-1)).toBe(22);
    // 5.7% - 4.1% = 1.6 points lower
    expect(result.textContent).toBe("With BMI 22.0: 4.1% (Moderate risk) compared with 5.7% (High risk) now, 1.6 percentage points lower.");
  });

  it("the slider is labelled, with no BMI chosen when none is recorded", () => {
    render(<WhatIf probability={0.02} bmi={null} compute={async (bmi) => ({ bmi, usedBmi: bmi, probability: 0.02 })} />);
    expect(screen.getByLabelText("BMI (kg/m²)").getAttribute("aria-valuetext")).toBe("No BMI chosen");
  });
});
