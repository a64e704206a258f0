// @vitest-environment jsdom
/**
 * An already diagnosed patient's trend: the months without a risk are one row per run, not one
 * per month, and a trend with no scored month is one sentence, with no chart and no table. The
 * text alternative says what the table says, in the same words.
 */
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { describeTrend, TrendSection } from "../../../app/views/TrendSection.tsx";
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
      "None of the 36 months was scored: 2023-12-01 to 2026-11-01, already diagnosed (knee OA first recorded 2023-04-12).",
    );
  });

  it("collapses the months after the diagnosis into one row, with its events", () => {
    render(<TrendSection state={{ status: "done", value: trend(6) }} />);
    const rows = within(screen.getByTestId("trend-table")).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(7);
    expect(cells(rows[3] as HTMLElement)).toEqual(["2024-03-01", "2.0% (0.0)", "Knee pain (2024-02-11)"]);
    expect(cells(rows[6] as HTMLElement)).toEqual([
      "2024-06-01 to 2026-11-01",
      "already diagnosed (knee OA first recorded 2023-04-12), not scored",
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
