// @vitest-environment jsdom
/**
 * Every month without a risk is shaded on the chart and labelled with why, not only the months
 * before the record starts; the text alternative says so in time order. The chart is named once
 * (its aria-label) and holds no unnamed tab stop.
 */
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { cloneElement, type ReactElement } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Trend } from "../../../app/hooks/use-patient-view.ts";
import type { TrendPoint } from "../../../app/risk/risk-trend.ts";
import TrendChart from "../../../app/views/TrendChart.tsx";
import { describeTrend, TrendSection } from "../../../app/views/TrendSection.tsx";

// jsdom has no layout: a fixed size instead of ResponsiveContainer's measure (as trend-chart-axis.test.tsx).
vi.mock("recharts", async (original) => ({
  ...(await original<typeof import("recharts")>()),
  ResponsiveContainer: ({ children }: { children: ReactElement<{ width?: number; height?: number }> }) => cloneElement(children, { width: 800, height: 220 }),
}));

afterEach(cleanup);

const at = (i: number) => `2024-${String(i + 1).padStart(2, "0")}-01`;
/** No record, then under the minimum age, then risks of 2.0%, 3.0%, 2.5%, then already diagnosed. */
const points: TrendPoint[] = [
  { indexDate: at(0), probability: null, state: "no-record" },
  { indexDate: at(1), probability: null, state: "not-applicable", notApplicable: ["under_min_age"] },
  { indexDate: at(2), probability: 0.02, state: "risk" },
  { indexDate: at(3), probability: 0.03, state: "risk" },
  { indexDate: at(4), probability: 0.025, state: "risk" },
  { indexDate: at(5), probability: null, state: "already-diagnosed", firstDiagnosed: "2024-05-20" },
  { indexDate: at(6), probability: null, state: "already-diagnosed", firstDiagnosed: "2024-05-20" },
];
const trend: Trend = { points, events: [] };

async function drawn(): Promise<HTMLElement> {
  const { container } = render(<TrendChart trend={trend} description="The description" />);
  await waitFor(() => expect(container.querySelector(".recharts-line-curve")).not.toBeNull());
  return container;
}

describe("months without a risk on the chart", () => {
  it("shades each run of them and labels it with why", async () => {
    const container = await drawn();
    // Each from the risk before it (or its first month) to the month after it: the gaps in the
    // line, next to each other without overlapping.
    const spans = [...container.querySelectorAll(".recharts-reference-area path")].map((a) => [a.getAttribute("x1"), a.getAttribute("x2")]);
    expect(spans).toEqual([["2024-01", "2024-02"], ["2024-02", "2024-03"], ["2024-05", "2024-07"]]);
    // recharts draws the areas' labels in a layer of their own, with the tier line's (the axis reaches 3.0%: Moderate only).
    expect([...container.querySelectorAll(".recharts-label")].map((a) => a.textContent)).toEqual([
      "no record yet",
      "model does not apply",
      "already diagnosed",
      "Moderate from 1.0%",
    ]);
  });

  it("says in the text alternative, in time order, which months have no risk and why", () => {
    expect(describeTrend(trend)).toBe(
      "Risk trend, monthly over 36 months, on an axis from 0% to 3.0%. A dashed line marks where the Moderate (1.0%) risk tier begins. " +
        "2024-01-01: no record yet, no risk. 2024-02-01: model does not apply (under the minimum age of 18), no risk. " +
        "2.0% on 2024-03-01 to 2.5% on 2024-05-01. " +
        "2024-06-01 to 2024-07-01: already diagnosed (knee OA first recorded 2024-05-20), no risk. " +
        "Highest 3.0% on 2024-04-01; 0 marked events. The table below lists every value.",
    );
  });

  it("explains the shading in the hint", () => {
    render(<TrendSection state={{ status: "done", value: trend }} />);
    expect(screen.getByTestId("trend").querySelector(".hint")?.textContent).toContain(
      "Shaded months have no risk; the label says why (the table gives each reason).",
    );
  });
});

describe("the chart to assistive technology", () => {
  it("has no tab stop inside the image", async () => {
    const container = await drawn();
    const img = container.querySelector('[role="img"]') as HTMLElement;
    expect(img.getAttribute("aria-label")).toBe("The description");
    // recharts' layers keep tabindex -1: focusable from a script, not a tab stop.
    expect([...img.querySelectorAll("[tabindex]")].filter((e) => Number(e.getAttribute("tabindex")) >= 0)).toEqual([]);
    expect(img.querySelectorAll('[role="application"]')).toHaveLength(0);
  });

  it("is described once: by the image's name, not again as text", async () => {
    render(<TrendSection state={{ status: "done", value: trend }} />);
    const img = await screen.findByRole("img");
    expect(img.getAttribute("aria-label")).toBe(describeTrend(trend));
    expect(screen.getByTestId("trend").textContent).not.toContain(describeTrend(trend));
  });
});
