import { describe, expect, it } from "vitest";
import { csvHeader, csvRows } from "../../../population/job/outputs/high-risk-csv.ts";
import { riskAssessment } from "../../../population/job/outputs/risk-assessment.ts";
import { riskTier } from "../../../shared/risk-tiers.ts";
import { runIdentity } from "../run-identity.ts";
import { scoredPerson } from "../scored-person.ts";

// The float32 just below 5%: "moderate" by the tiers, 0.0500 to 4 places and 0.050000 to 6.
const JUST_BELOW_HIGH = 0.04999999701976776;
const identity = runIdentity({ indexDate: "2026-03-01" });

/** The CSV row's cells by the header's names (no cell here holds a quoted comma but the model's and the note). */
function cells(threshold: number, fields: Parameters<typeof scoredPerson>[1]): Record<string, string> {
  const header = csvHeader(false).split(",");
  const row = csvRows({ identity, threshold })(1, scoredPerson("p1", fields));
  const values = row.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((cell) => cell.replace(/,$/, ""));
  return Object.fromEntries(header.map((name, i) => [name, values[i]!]));
}

describe("the risk written in high-risk.csv and the RiskAssessments", () => {
  it("never reads as the next tier: a moderate probability just below 5% is not written 0.05", () => {
    expect(riskTier(JUST_BELOW_HIGH)).toBe("moderate");
    const row = cells(0.01, { probability: JUST_BELOW_HIGH, tier: "moderate" });
    expect(row.risk).toBe("0.0499");
    expect(row.tier).toBe("Moderate");
    const prediction = riskAssessment(scoredPerson("p1", { probability: JUST_BELOW_HIGH, tier: "moderate" }), identity).prediction![0]!;
    expect(prediction.probabilityDecimal).toBe(0.049999);
    expect(prediction.qualitativeRisk!.coding![0]!.code).toBe("moderate");
  });

  it("never reads as below the list's own threshold", () => {
    // --threshold 0.01234: 0.012341 is listed; to 4 places it would be 0.0123, under the threshold.
    expect(cells(0.01234, { probability: 0.012341 }).risk).toBe("0.0124");
  });

  it("says which index date and which model the risk is for, in every row", () => {
    const row = cells(0.01, { probability: 0.2, tier: "high" });
    expect(row.index_date).toBe("2026-03-01");
    expect(row.model).toBe('"deep-koa 1.3.0, feature spec koa-features/3"');
  });

  it("writes data-quality flags in words, as summary.html does", () => {
    expect(cells(0.01, { warnings: ["no_bmi", "short_history"] }).data_quality).toBe("no BMI on record;under 1 year of history on record;reasons not computed (below the explanation floor)");
  });
});

describe("the RiskAssessment's whenPeriod", () => {
  // A FHIR Period's end is inclusive; the outcome window is [index, index + 365 days).
  it("ends on the outcome window's last day, index + 364 days, across a leap day and a year's end", () => {
    const when = (indexDate: string) => riskAssessment(scoredPerson("p1"), runIdentity({ indexDate })).prediction![0]!.whenPeriod;
    expect(when("2025-01-01")).toEqual({ start: "2025-01-01", end: "2025-12-31" });
    // 2028 is a leap year: 365 days from 2028-01-01 is 2028-12-31, the window's last day 2028-12-30.
    expect(when("2028-01-01")).toEqual({ start: "2028-01-01", end: "2028-12-30" });
    // 2027-03-01 + 365 days is 2028-02-29 (the leap day is in the window), the last day 2028-02-28.
    expect(when("2027-03-01")).toEqual({ start: "2027-03-01", end: "2028-02-28" });
  });
});
