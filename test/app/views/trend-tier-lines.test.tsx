// @vitest-environment jsdom
/**
 * The trend's tier context (the clinician review of 2026-12: a 9% peak was not recognisable as
 * High): dashed lines where the Moderate and High tiers begin, on the axis's own scale, labelled,
 * and named in the hint and the text alternative; the table stays as it was.
 */
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { cloneElement, type ReactElement } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Trend } from "../../../app/hooks/use-patient-view.ts";
import type { TrendPoint } from "../../../app/risk/risk-trend.ts";
import TrendChart from "../../../app/views/TrendChart.tsx";
import { describeTrend, TrendSection } from "../../../app/views/TrendSection.tsx";

// jsdom has no layout: a fixed size for the chart (as trend-chart-axis.test.tsx does).
vi.mock("recharts", async (original) => ({
  ...(await original<typeof import("recharts")>()),
  ResponsiveContainer: ({ children }: { children: ReactElement<{ width?: number; height?: number }> }) => cloneElement(children, { width: 800, height: 220 }),
}));

afterEach(cleanup);

function trend(probabilities: readonly number[]): Trend {
  const points = probabilities.map((probability, i): TrendPoint => ({ indexDate: `2023-${String(i + 1).padStart(2, "0")}-15`, probability, state: "risk" }));
  return { points, events: [] };
}

/** Each tier line's height and colour, and the y of each y-axis tick by its label. */
async function drawn(container: HTMLElement) {
  const tickText = () => [...container.querySelectorAll(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value")];
  await waitFor(() => expect(tickText()).not.toEqual([]));
  const ticks = new Map(tickText().map((t) => [t.textContent ?? "", Number(t.getAttribute("y"))]));
  const lines = [...container.querySelectorAll(".recharts-reference-line-line")].map((l) => ({
    y: Number(l.getAttribute("y1")),
    flat: l.getAttribute("y1") === l.getAttribute("y2"),
    stroke: l.getAttribute("stroke"),
    dashed: l.getAttribute("stroke-dasharray") !== null,
  }));
  const labels = [...container.querySelectorAll(".recharts-label")].map((l) => l.textContent);
  return { ticks, lines, labels };
}

describe("the trend chart's tier lines", () => {
  it("draws Moderate at the 1.0% tick and High at the 5.0% tick, dashed, labelled, in the tier colours", async () => {
    // Highest 5%: the axis runs 0% to 5.0% in steps of 1.0%, so both thresholds have a tick.
    const { container } = render(<TrendChart trend={trend([0.02, 0.05, 0.03])} description="d" />);
    const { ticks, lines, labels } = await drawn(container);
    expect(lines).toEqual([
      // Okabe-Ito orange, the Moderate badge's border; the darkened vermillion of the High badge.
      { y: ticks.get("1.0%"), flat: true, stroke: "#E69F00", dashed: true },
      { y: ticks.get("5.0%"), flat: true, stroke: "#A13D00", dashed: true },
    ]);
    expect(labels).toEqual(expect.arrayContaining(["Moderate from 1.0%", "High from 5.0%"]));
  });

  it("draws only the Moderate line, at the top, when the axis ends at 1.0%", async () => {
    const { container } = render(<TrendChart trend={trend([0.002, 0.003])} description="d" />);
    const { ticks, lines, labels } = await drawn(container);
    expect(lines.map((l) => l.y)).toEqual([ticks.get("1.0%")]);
    expect(labels).toContain("Moderate from 1.0%");
    expect(labels).not.toContain("High from 5.0%");
  });
});

describe("the tier lines in words", () => {
  it("the text alternative and the hint say what the lines are, only those drawn", () => {
    // Ana Suzuki's 2024 peak of about 9%: the axis reaches 10.0%, both lines are on it.
    const high = trend([0.03, 0.09, 0.06]);
    expect(describeTrend(high)).toContain(
      "on an axis from 0% to 10.0%. Dashed lines mark where the Moderate (1.0%) and High (5.0%) risk tiers begin. 3.0% on 2023-01-15",
    );
    render(<TrendSection state={{ status: "done", value: high }} />);
    expect(screen.getByTestId("trend").querySelector(".hint")?.textContent).toContain(
      "Dashed lines mark where the Moderate (1.0%) and High (5.0%) risk tiers begin.",
    );
    cleanup();
    const low = trend([0.002, 0.003]);
    expect(describeTrend(low)).toContain("on an axis from 0% to 1.0%. A dashed line marks where the Moderate (1.0%) risk tier begins. 0.2% on");
    render(<TrendSection state={{ status: "done", value: low }} />);
    expect(screen.getByTestId("trend").querySelector(".hint")?.textContent).toContain("A dashed line marks where the Moderate (1.0%) risk tier begins.");
    expect(screen.getByTestId("trend").querySelector(".hint")?.textContent).not.toContain("High");
  });

  it("leaves the table as it was: the same three columns, no tier lines in it", () => {
    render(<TrendSection state={{ status: "done", value: trend([0.03, 0.09, 0.06]) }} />);
    const table = screen.getByTestId("trend-table");
    expect([...table.querySelectorAll("thead th")].map((th) => th.textContent)).toEqual(["Index date", "Risk (change in points)", "Events"]);
    expect([...table.querySelectorAll("tbody tr")].map((tr) => [...tr.children].map((c) => c.textContent))).toEqual([
      ["2023-01-15", "3.0%", ""],
      ["2023-02-15", "9.0% (+6.0)", ""],
      ["2023-03-15", "6.0% (−3.0)", ""],
    ]);
    expect(table.textContent).not.toMatch(/dashed|Moderate|High/);
  });
});
