// @vitest-environment jsdom
/** The chart's risk axis: from 0 to at least 1%, labelled as the app writes a risk; and the
 * months before the record starts shaded, with no point. */
import { cleanup, render, waitFor } from "@testing-library/react";
import { cloneElement, type ReactElement } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Trend } from "../../../app/hooks/use-patient-view.ts";
import type { TrendPoint } from "../../../app/risk/risk-trend.ts";
import TrendChart from "../../../app/views/TrendChart.tsx";

// jsdom has no layout, so ResponsiveContainer would measure 0 x 0 and draw nothing: give the
// chart a fixed size instead.
vi.mock("recharts", async (original) => ({
  ...(await original<typeof import("recharts")>()),
  ResponsiveContainer: ({ children }: { children: ReactElement<{ width?: number; height?: number }> }) => cloneElement(children, { width: 800, height: 220 }),
}));

afterEach(cleanup);

function trend(probabilities: readonly (number | null)[]): Trend {
  const points = probabilities.map((probability, i): TrendPoint => {
    const indexDate = `2023-${String(i + 1).padStart(2, "0")}-15`;
    return probability === null ? { indexDate, probability, state: "no-record" } : { indexDate, probability, state: "risk" };
  });
  return { points, events: [] };
}

/** The y axis's tick labels, once recharts has drawn them (a render after the chart's own). */
async function yTicks(container: HTMLElement): Promise<string[]> {
  const labels = () => [...container.querySelectorAll(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value")].map((t) => t.textContent ?? "");
  await waitFor(() => expect(labels()).not.toEqual([]));
  return labels();
}

describe("TrendChart's risk axis", () => {
  it("does not zoom into risks that all read <0.1%: 0% to 1.0% in steps of 0.2%", async () => {
    const { container } = render(<TrendChart trend={trend([0.00015, 0.0003, 0.00045, 0.0006])} description="d" />);
    expect(await yTicks(container)).toEqual(["0%", "0.2%", "0.4%", "0.6%", "0.8%", "1.0%"]);
  });

  it("reaches the highest risk above 1%", async () => {
    const { container } = render(<TrendChart trend={trend([0.02, 0.057, 0.04])} description="d" />);
    expect(await yTicks(container)).toEqual(["0%", "2.0%", "4.0%", "6.0%"]);
  });

  it("shades the months before the record starts and draws the line only from the first risk", async () => {
    const { container } = render(<TrendChart trend={trend([null, null, 0.003, 0.004])} description="d" />);
    await yTicks(container);
    expect(container.querySelectorAll(".recharts-reference-area")).toHaveLength(1);
    // One segment from the third month: a move to it and one line to the fourth.
    const d = container.querySelector(".recharts-line-curve")?.getAttribute("d") ?? "";
    expect(d.match(/[ML]/g)).toEqual(["M", "L"]);
  });

  it("shades nothing when every month has a record", async () => {
    const { container } = render(<TrendChart trend={trend([0.003, 0.004])} description="d" />);
    await yTicks(container);
    expect(container.querySelectorAll(".recharts-reference-area")).toHaveLength(0);
  });
});
