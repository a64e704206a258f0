// @vitest-environment jsdom
/** The trend's table and text alternative say "no record yet" where the record had not begun. */
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Trend } from "../../../app/hooks/use-patient-view.ts";
import type { TrendPoint } from "../../../app/risk/risk-trend.ts";
import { describeTrend, TrendSection } from "../../../app/views/TrendSection.tsx";

afterEach(cleanup);

/** 36 monthly points from 2021-02-15: `noRecord` "no-record" ones, then risks of 0.3%. */
function trend(noRecord: number): Trend {
  const points = Array.from({ length: 36 }, (_, i): TrendPoint => {
    const month = 2021 * 12 + 1 + i;
    const indexDate = `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, "0")}-15`;
    return i < noRecord ? { indexDate, probability: null, state: "no-record" } : { indexDate, probability: 0.003, state: "risk" };
  });
  return { points, events: [] };
}

describe("the trend before the record starts", () => {
  it("the table says 'no record yet' in one row for those dates, with no risk and no change", () => {
    render(<TrendSection state={{ status: "done", value: trend(33) }} />);
    const rows = within(screen.getByTestId("trend-table")).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(4);
    // Named from outside its scroll region (a caption was cut off at 360 px), still its accessible name.
    expect(screen.getByRole("table", { name: "1-year risk at each monthly index date, with the events that count from that date" })).toBe(
      screen.getByTestId("trend-table"),
    );
    const cells = (row: HTMLElement) => [...row.children].map((c) => c.textContent);
    expect(cells(rows[0] as HTMLElement)).toEqual(["2021-02-15 to 2023-10-15", "no record yet, no risk", ""]);
    // The first risk has no change: there is no risk before it to change from.
    expect(cells(rows[1] as HTMLElement)).toEqual(["2023-11-15", "0.3%", ""]);
    expect(screen.getByTestId("trend").textContent).toContain("Shaded months have no risk; the label says why");
  });

  it("the text alternative says where the record starts and gives the chart's scale", () => {
    expect(describeTrend(trend(33))).toBe(
      "Risk trend, monthly over 36 months, on an axis from 0% to 1.0%. A dashed line marks where the Moderate (1.0%) risk tier begins. " +
        "2021-02-15 to 2023-10-15: no record yet, no risk. " +
        "0.3% on 2023-11-15 to 0.3% on 2024-01-15. Highest 0.3% on 2023-11-15; 0 marked events. The table below lists every value.",
    );
    expect(describeTrend(trend(36))).toBe("The model gave no risk at any of the 36 monthly dates: 2021-02-15 to 2024-01-15, no record yet.");
  });

  it("says nothing of a missing record when every date has one", () => {
    render(<TrendSection state={{ status: "done", value: trend(0) }} />);
    expect(screen.getByTestId("trend").textContent).not.toMatch(/no record yet|shaded/i);
  });
});
