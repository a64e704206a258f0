// @vitest-environment jsdom
/** The risk summary says the card's "on record" caveats beside the risk (osteoarthritis without a
 * stated joint, a knee replacement, nothing the model reads in the last year), each in the card's words. */
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { buildRiskCard } from "../../../cds-service/cards/build-risk-card.ts";
import type { RiskAssessmentResult } from "../../../shared/assess-risk.ts";
import type { OnRecord } from "../../../shared/latest-on-record.ts";
import type { NotCurrent } from "../../../shared/record-currency.ts";
import type { PatientAssessment } from "../../../app/risk/assess-patient.ts";
import { RECORD_QUERIES } from "../../../app/data/record-queries.ts";
import { RiskSummary } from "../../../app/views/RiskSummary.tsx";
import { exampleCardOptions } from "../../support/card-options.ts";

afterEach(cleanup);

/** exampleCardOptions' index date, which the app's assessment carries in its features. */
const INDEX_DATE = "2025-06-01";

const CAVEATS = [
  { field: "oaSiteNotStated", testId: "oa-site-caveat", date: "2023-02-03", said: "Osteoarthritis without a stated joint is on record" },
  { field: "kneeReplaced", testId: "knee-replaced-caveat", date: "2022-05-10", said: "A knee replacement is on record" },
] as const;

function riskWith(field: (typeof CAVEATS)[number]["field"] | "recordNotCurrent", found?: OnRecord | NotCurrent | null): PatientAssessment {
  const result = {
    probability: 0.032,
    tier: "moderate",
    eligibility: { eligible: true, reasons: [], warnings: [] },
    features: { indexDate: INDEX_DATE, demographics: { sex: "female" } },
    model: {},
  } as unknown as RiskAssessmentResult;
  return { result, ...(found !== undefined && { [field]: found }) };
}

describe.each(CAVEATS)("RiskSummary's $field caveat", ({ field, testId, date, said }) => {
  it("is the very paragraph of the card built for the same record, its date a <time>", () => {
    render(<RiskSummary state={{ status: "done", value: riskWith(field, { date }) }} missing={[]} />);
    const shown = screen.getByTestId(testId).textContent;
    expect(shown).toContain(`${said} (most recently ${date})`);
    const card = buildRiskCard(
      { patientId: "p1", probability: 0.032, tier: "moderate", drivers: [], warnings: [], bmi: 27, historyYears: 3, sex: "female", baselineProbability: 0.01, [field]: { date } },
      exampleCardOptions("0f6f7c2e-6a43-4c1e-9d3b-5a8f3a2b1c03"),
    );
    expect(card.detail!.split("\n\n")).toContain(shown);
    // The date kept on one line in a 360 px panel, as every date the app shows.
    expect([...screen.getByTestId(testId).querySelectorAll("time")].map((t) => t.textContent)).toEqual([date]);
  });

  it("says an undated one without a date", () => {
    render(<RiskSummary state={{ status: "done", value: riskWith(field, { date: null }) }} missing={[]} />);
    const caveat = screen.getByTestId(testId);
    expect(caveat.textContent).toContain(`${said} (undated)`);
    expect(caveat.querySelectorAll("time")).toHaveLength(0);
  });

  it("says nothing without one on record", () => {
    render(<RiskSummary state={{ status: "done", value: riskWith(field, null) }} missing={[]} />);
    expect(screen.queryByTestId(testId)).toBeNull();
    cleanup();
    render(<RiskSummary state={{ status: "done", value: riskWith(field) }} missing={[]} />);
    expect(screen.getByTestId("risk-summary").textContent).not.toContain(said);
  });
});

describe("RiskSummary's caveat of a record with nothing in the year before the index date", () => {
  it("is the very data caveat of the card built for the same record, both dates <time>s", () => {
    const found = { latestBefore: "2019-03-04" };
    render(<RiskSummary state={{ status: "done", value: riskWith("recordNotCurrent", found) }} missing={[]} />);
    const caveat = screen.getByTestId("not-current-caveat");
    expect(caveat.textContent).toContain(`Nothing the model reads (visits, diagnoses, medicines, BMI, weight and height) is dated in the 365 days before ${INDEX_DATE} (the latest such entry is from 2019-03-04)`);
    const card = buildRiskCard(
      { patientId: "p1", probability: 0.032, tier: "moderate", drivers: [], warnings: [], bmi: 27, historyYears: 3, sex: "female", baselineProbability: 0.01, recordNotCurrent: found },
      exampleCardOptions("0f6f7c2e-6a43-4c1e-9d3b-5a8f3a2b1c03"),
    );
    expect(card.detail!.split("\n")).toContain(`- ${caveat.textContent}`);
    expect([...caveat.querySelectorAll("time")].map((t) => t.textContent)).toEqual([INDEX_DATE, "2019-03-04"]);
  });

  it("speaks of the parts that could be read when a part of the model's input was not, as the card does; not for the card's context", () => {
    const unread = (key: string) => ({ query: RECORD_QUERIES.find((q) => q.key === key)!, outcome: { status: "failed" as const, message: "could not be read (HTTP 500)" } });
    const PARTLY = "in the parts of the record that could be read";
    render(<RiskSummary state={{ status: "done", value: riskWith("recordNotCurrent", { latestBefore: "2019-03-04" }) }} missing={[]} unavailable={[unread("bodyMeasures")]} />);
    expect(screen.getByTestId("not-current-caveat").textContent).toContain(`before ${INDEX_DATE} ${PARTLY} (the latest`);
    cleanup();
    render(<RiskSummary state={{ status: "done", value: riskWith("recordNotCurrent", { latestBefore: "2019-03-04" }) }} missing={[]} unavailable={[unread("procedures")]} />);
    expect(screen.getByTestId("not-current-caveat").textContent).not.toContain(PARTLY);
  });

  it("says nothing for a current record", () => {
    render(<RiskSummary state={{ status: "done", value: riskWith("recordNotCurrent", null) }} missing={[]} />);
    expect(screen.queryByTestId("not-current-caveat")).toBeNull();
  });
});

describe("RiskSummary's old-BMI caveat", () => {
  const withBmi = (bmiDate: string): PatientAssessment => {
    const result = {
      probability: 0.032,
      tier: "moderate",
      eligibility: { eligible: true, reasons: [], warnings: [] },
      features: { indexDate: INDEX_DATE, demographics: { sex: "female", bmi: 27.4, bmiDate } },
      model: {},
    } as unknown as RiskAssessmentResult;
    return { result };
  };

  it("is the card's line for a BMI from before the model's 3 years, and absent for one within them", () => {
    // Index date 2025-06-01: the 1,092-day window starts 2022-06-05 (1,096 days after 2022-06-01).
    render(<RiskSummary state={{ status: "done", value: withBmi("2022-06-04") }} missing={[]} />);
    const shown = screen.getByTestId("old-bmi-caveat").textContent!;
    expect(shown).toBe("The latest BMI on record, 27.4 on 2022-06-04, is older than the 3 years of history the model reads: the estimate uses it, though weight may have changed since.");
    const card = buildRiskCard(
      { patientId: "p1", probability: 0.032, tier: "moderate", drivers: [], warnings: [], bmi: 27.4, bmiDate: "2022-06-04", historyYears: 3, sex: "female", baselineProbability: 0.01 },
      exampleCardOptions("0f6f7c2e-6a43-4c1e-9d3b-5a8f3a2b1c04"),
    );
    expect(card.detail!.split("\n")).toContain(`- ${shown}`);
    cleanup();
    render(<RiskSummary state={{ status: "done", value: withBmi("2022-06-05") }} missing={[]} />);
    expect(screen.queryByTestId("old-bmi-caveat")).toBeNull();
  });
});
