// @vitest-environment jsdom
/**
 * An already diagnosed patient's trend: the months without a risk are one row per run, not one
 * per month, and a trend with no scored month is one sentence, with no chart and no table. The
 * text alternative says what the table says, in the same words.
 */
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { describeTrend, TrendSection } from "../../../app/views/TrendSection.tsx";
import type { TrendPoint } from "../../../app/risk/risk-trend.ts";
import { diagnosedTrend } from "./diagnosed-trend.ts";

afterEach(cleanup);

// One event at a scored month, one in the diagnosed run (in the table, not on the chart).
const trend = (scored: number) => diagnosedTrend(scored, [{ date: "2024-02-11", label: "Knee pain", pointIndex: 3 }, { date: "2025-01-05", label: "New opioid course", pointIndex: 14 }]);

const cells = (row: HTMLElement) => [...row.children].map((c) => c.textContent);

describe("the trend of an already diagnosed patient", () => {
  it("shows one sentence, and no chart or table, when no month was scored", () => {
    render(<TrendSection state={{ status: "done", value: trend(0) }} />);
    const section = screen.getByTestId("trend");
    expect(screen.queryByTestId("trend-table")).toBeNull();
    expect(screen.queryByTestId("trend-chart")).toBeNull();
    expect(section.textContent).not.toMatch(/Orange dots|as a table/);
    expect(section.querySelectorAll("p")).toHaveLength(1);
    expect(section.querySelector("p")?.textContent).toBe(
      "The model gave no risk at any of the 36 monthly dates: 2023-12-01 to 2026-11-01, already diagnosed (knee OA first recorded 2023-04-12).",
    );
  });

  it("collapses the months after the diagnosis into one row, with its events", () => {
    render(<TrendSection state={{ status: "done", value: trend(6) }} />);
    const rows = within(screen.getByTestId("trend-table")).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(7);
    expect(cells(rows[3] as HTMLElement)).toEqual(["2024-03-01", "2.0% (0.0)", "Knee pain (2024-02-11)"]);
    expect(cells(rows[6] as HTMLElement)).toEqual([
      "2024-06-01 to 2026-11-01",
      "already diagnosed (knee OA first recorded 2024-05-20), no risk",
      "New opioid course (2025-01-05)",
    ]);
  });

  it("says in the text alternative what the table says of the months not scored, and counts only the events on the chart", () => {
    render(<TrendSection state={{ status: "done", value: trend(6) }} />);
    const row = within(screen.getByTestId("trend-table")).getAllByRole("row").at(-1) as HTMLElement;
    const [range, state] = cells(row);
    const description = describeTrend(trend(6));
    expect(description).toContain(`${range}: ${state}.`);
    expect(description).toContain("1 marked event.");
  });
});

describe("the trend of a patient the model does not apply to", () => {
  it("keeps months apart whose reasons differ, and names each reason", () => {
    // A child born on 2024-09-10 whose record starts at birth: the 10 monthly dates before it
    // find them not yet born, the 26 after it under the minimum age.
    const points = diagnosedTrend(0, []).points.map((p, i): TrendPoint => ({
      indexDate: p.indexDate,
      probability: null,
      state: "not-applicable",
      notApplicable: i < 10 ? ["born_after_index"] : ["under_min_age"],
    }));
    expect(describeTrend({ points, events: [] })).toBe(
      "The model gave no risk at any of the 36 monthly dates: 2023-12-01 to 2024-09-01, model does not apply (not yet born); " +
        "2024-10-01 to 2026-11-01, model does not apply (under the minimum age of 18).",
    );
  });
});
