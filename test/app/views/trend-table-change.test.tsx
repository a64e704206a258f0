// @vitest-environment jsdom
/** The trend table's change column agrees with the risks it stands beside: one decimal of
 * percentage points, the difference of the values as written. */
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { TrendPoint } from "../../../app/risk/risk-trend.ts";
import { TrendSection } from "../../../app/views/TrendSection.tsx";

afterEach(cleanup);

const probabilities = [0.01249, 0.01251, 0.0134, 0.0096, 0.0088, 0.0004, 0.003];
const points = probabilities.map((probability, i): TrendPoint => ({ indexDate: `2024-0${i + 1}-01`, probability, state: "risk" }));

describe("the trend table's change column", () => {
  it("is the difference of the risks shown, with one decimal, and no tier bound among the risks", () => {
    render(<TrendSection state={{ status: "done", value: { points, events: [] } }} />);
    const rows = within(screen.getByTestId("trend-table")).getAllByRole("row").slice(1);
    // 1.2 to 1.3 is +0.1 (the probabilities differ by 0.002 points); 1.3 to 1.3 is 0.0; 1.3 to 1.0
    // is -0.3; 1.0 to 0.9 is -0.1; no change beside "<0.1%", which is no number to subtract.
    expect(rows.map((row) => row.children[1]?.textContent)).toEqual(["1.2%", "1.3% (+0.1)", "1.3% (0.0)", "1.0% (\u22120.3)", "0.9% (\u22120.1)", "<0.1%", "0.3%"]);
  });
});
