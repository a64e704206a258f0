// @vitest-environment jsdom
/** The chart's tooltip reads "Risk: 3.1%", not recharts' default "1-year risk : 3.1%". */
import { cleanup, fireEvent, render, waitFor } from "@testing-library/react";
import { cloneElement, type ReactElement } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { TrendPoint } from "../../../app/risk/risk-trend.ts";
import TrendChart from "../../../app/views/TrendChart.tsx";

// jsdom has no layout: a fixed size instead of ResponsiveContainer's measured 0 x 0.
vi.mock("recharts", async (original) => ({
  ...(await original<typeof import("recharts")>()),
  ResponsiveContainer: ({ children }: { children: ReactElement<{ width?: number; height?: number }> }) => cloneElement(children, { width: 800, height: 220 }),
}));

afterEach(cleanup);

describe("TrendChart's tooltip", () => {
  it("names the value 'Risk' with a colon and writes it as the app writes a risk", async () => {
    const points = [0.02, 0.031, 0.04].map((probability, i): TrendPoint => ({ indexDate: `2024-0${i + 1}-15`, probability, state: "risk" }));
    const { container } = render(<TrendChart trend={{ points, events: [] }} description="d" />);
    const surface = await waitFor(() => container.querySelector(".recharts-wrapper") as HTMLElement);
    // Over the middle of the plot: the second month (jsdom's bounding boxes start at 0, 0).
    await waitFor(() => {
      fireEvent.mouseMove(surface, { clientX: 420, clientY: 100 });
      expect(container.querySelector(".recharts-tooltip-item")?.textContent).toBe("Risk: 3.1%");
    });
  });

  it("names the month's events under the month, as the table lists them", async () => {
    const points = [0.02, 0.031, 0.04].map((probability, i): TrendPoint => ({ indexDate: `2024-0${i + 1}-15`, probability, state: "risk" }));
    const events = [
      { date: "2024-01-20", label: "Knee pain", pointIndex: 1 },
      { date: "2024-01-25", label: "New NSAID course", pointIndex: 1 },
      { date: "2024-02-20", label: "Knee injury", pointIndex: 2 },
    ];
    const { container } = render(<TrendChart trend={{ points, events }} description="d" />);
    const surface = await waitFor(() => container.querySelector(".recharts-wrapper") as HTMLElement);
    await waitFor(() => {
      fireEvent.mouseMove(surface, { clientX: 420, clientY: 100 });
      expect(container.querySelector(".recharts-tooltip-label")?.textContent).toBe("2024-02: Knee pain (2024-01-20); New NSAID course (2024-01-25)");
    });
  });
});
