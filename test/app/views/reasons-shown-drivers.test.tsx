// @vitest-environment jsdom
/** Reasons lists the drivers the card lists, sized as the card sizes them, never a signed zero. */
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { buildRiskCard } from "../../../cds-service/cards/build-risk-card.ts";
import type { RiskDriver } from "../../../shared/inference/explain.ts";
import { formatPoints, Reasons } from "../../../app/views/Reasons.tsx";
import { exampleCardOptions } from "../../support/card-options.ts";

afterEach(cleanup);

const NO_RECORDS = new Map();

// Largest first, as explainRisk sorts them. Hyperlipidemia and sex move the risk by 0.001 and
// 0.002 points: the review saw them as "Lowers −0.00 points".
const DRIVERS: RiskDriver[] = [
  { group: { kind: "diagnosis", id: "knee_pain" }, key: "diagnosis:knee_pain", label: "Knee pain", detail: "recorded in 6 of the 156 weeks before the index date (3 years)", effect: 0.031 },
  { group: { kind: "bmi" }, key: "bmi", label: "Body mass index", detail: "BMI 33.0 (compared with BMI 22)", effect: 0.012 },
  { group: { kind: "medication", id: "nsaid_oral" }, key: "medication:nsaid_oral", label: "Oral NSAIDs", detail: "about 28 drug-days", effect: -0.0006 },
  { group: { kind: "sex" }, key: "sex", label: "Sex", detail: "Female (compared with the average of female and male)", effect: -0.00002 },
  { group: { kind: "diagnosis", id: "hyperlipidemia" }, key: "diagnosis:hyperlipidemia", label: "Hyperlipidemia", detail: "recorded in 1 of the 156 weeks before the index date (3 years)", effect: -0.00001 },
];

const listed = () => within(screen.getByTestId("reasons")).queryAllByRole("listitem").map((li) => li.getAttribute("data-driver"));

describe("Reasons: which drivers, and their size", () => {
  it("leaves out the drivers that print as 0.0 points, and writes the others to one decimal with their sign", () => {
    render(<Reasons drivers={DRIVERS} records={NO_RECORDS} bmi={33} />);
    expect(listed()).toEqual(["diagnosis:knee_pain", "bmi", "medication:nsaid_oral"]);
    const text = screen.getByTestId("reasons").textContent ?? "";
    expect(text).toContain("Raises +3.1 points");
    expect(text).toContain("Raises +1.2 points");
    // -0.06 points: 0.1 at the card's one decimal.
    expect(text).toContain("Lowers \u22120.1 points");
    expect(text).not.toMatch(/[+\u2212-]0\.0+ points/);
    expect(text).not.toContain("Hyperlipidemia");
  });

  it("lists the drivers the card lists, with the card's numbers", () => {
    render(<Reasons drivers={DRIVERS} records={NO_RECORDS} bmi={33} />);
    const card = buildRiskCard(
      { patientId: "p1", probability: 0.06, tier: "high", drivers: DRIVERS, warnings: [], bmi: 33, historyYears: 3, sex: "female", baselineProbability: 0.02 },
      exampleCardOptions("0f6f7c2e-6a43-4c1e-9d3b-5a8f3a2b1c03"),
    );
    const cardLines = [...(card.detail ?? "").matchAll(/- \*\*(.+?)\*\*.*? — (raises|lowers) the estimate by ([\d.]+) percentage points/g)].map((m) => `${m[1]} ${m[3]}`);
    const appLines = within(screen.getByTestId("reasons"))
      .queryAllByRole("listitem")
      .map((li) => `${li.querySelector("strong")?.textContent} ${/(\d+\.\d) points/.exec(li.textContent ?? "")?.[1]}`);
    expect(cardLines).toEqual(["Knee pain 3.1", "Body mass index 1.2", "Oral NSAIDs 0.1"]);
    expect(appLines).toEqual(cardLines);
  });

  it("leaves out a BMI driver when the BMI is missing, as the card does", () => {
    render(<Reasons drivers={DRIVERS} records={NO_RECORDS} bmi={null} />);
    expect(listed()).toEqual(["diagnosis:knee_pain", "medication:nsaid_oral"]);
  });

  it("says what the card says when the model credits an obese BMI with lowering the risk, and nothing otherwise", () => {
    const lowering = DRIVERS.map((d) => (d.key === "bmi" ? { ...d, effect: -0.012 } : d));
    render(<Reasons drivers={lowering} records={NO_RECORDS} bmi={33} />);
    const card = buildRiskCard(
      { patientId: "p1", probability: 0.06, tier: "high", drivers: lowering, warnings: [], bmi: 33, historyYears: 3, sex: "female", baselineProbability: 0.02 },
      exampleCardOptions("0f6f7c2e-6a43-4c1e-9d3b-5a8f3a2b1c04"),
    );
    const said = screen.getByTestId("obese-bmi-lowers").textContent ?? "";
    expect(said).toMatch(/^This model credits the BMI of 33.0 with lowering this estimate \(by 1.2 percentage points\)/);
    expect(card.detail?.split("\n\n")).toContain(said);
    cleanup();
    render(<Reasons drivers={DRIVERS} records={NO_RECORDS} bmi={33} />);
    expect(screen.queryByTestId("obese-bmi-lowers")).toBeNull();
  });

  it("says no factor changes the risk when none prints above 0.0", () => {
    render(<Reasons drivers={DRIVERS.slice(3)} records={NO_RECORDS} bmi={33} />);
    expect(screen.getByText("No single factor changes the risk.")).toBeTruthy();
  });
});

describe("formatPoints (what-if and trend changes)", () => {
  it("signs a change of risks as written, with their one decimal", () => {
    expect(formatPoints(-0.016)).toBe("\u22121.6");
    expect(formatPoints(0.001)).toBe("+0.1");
  });

  it("writes no change without a sign", () => {
    expect(formatPoints(0)).toBe("0.0");
  });
});

describe("Reasons: a driver whose detail starts with its own name", () => {
  it("names age once: 'Age 78 (compared with 50)', not 'Age: Age 78'", () => {
    const age = { group: { kind: "age" }, key: "age", label: "Age", detail: "Age 78 (compared with 50)", effect: 0.012 } as const;
    const sex = { group: { kind: "sex" }, key: "sex", label: "Sex", detail: "Female (compared with the average of female and male)", effect: 0.004 } as const;
    render(<Reasons drivers={[age, sex]} records={new Map()} />);
    const lines = screen.getAllByRole("listitem").map((li) => li.textContent);
    expect(lines).toEqual(["Raises +1.2 points Age 78 (compared with 50)", "Raises +0.4 points Sex: Female (compared with the average of female and male)"]);
  });
});
