/** The trend table's rows: a month with a risk is a row; a run of months with the same state and no risk is one. */
import { describe, expect, it } from "vitest";
import type { TrendPoint } from "../../../app/risk/risk-trend.ts";
import type { TrendEvent } from "../../../app/risk/trend-events.ts";
import { trendRows } from "../../../app/risk/trend-rows.ts";

const date = (i: number) => `2024-${String(i + 1).padStart(2, "0")}-01`;
const risk = (i: number, probability: number): TrendPoint => ({ indexDate: date(i), probability, state: "risk" });
const noRecord = (i: number): TrendPoint => ({ indexDate: date(i), probability: null, state: "no-record" });
const diagnosed = (i: number, firstDiagnosed: string): TrendPoint => ({ indexDate: date(i), probability: null, state: "already-diagnosed", firstDiagnosed });
const event = (pointIndex: number, label: string): TrendEvent => ({ date: "2023-12-15", label, pointIndex });

const summary = (points: TrendPoint[], events: TrendEvent[] = []) =>
  trendRows(points, events).map((r) => ({ from: r.from, to: r.to, state: r.point.state, change: r.change, events: r.events.map((e) => e.label) }));

describe("trendRows", () => {
  it("keeps each month with a risk as its own row, with the change from the month before", () => {
    expect(summary([risk(0, 0.01), risk(1, 0.01), risk(2, 0.015)])).toEqual([
      { from: date(0), to: date(0), state: "risk", change: null, events: [] },
      { from: date(1), to: date(1), state: "risk", change: 0, events: [] },
      { from: date(2), to: date(2), state: "risk", change: expect.closeTo(0.005, 10), events: [] },
    ]);
  });

  it("gives the change between the values as written (one decimal of a percent), none beside a bound", () => {
    // Written 1.2%, 1.3%, 1.3%, 1.0% (0.0096 is no "<1.0%" here: no tier stands beside it), <0.1%, 0.3%.
    const points = [risk(0, 0.01249), risk(1, 0.01251), risk(2, 0.0134), risk(3, 0.0096), risk(4, 0.0004), risk(5, 0.003)];
    expect(summary(points).map((r) => r.change)).toEqual([null, expect.closeTo(0.001, 12), 0, expect.closeTo(-0.003, 12), null, null]);
  });

  it("makes one row of consecutive months with the same state and no risk, with every event inside it", () => {
    const points = [noRecord(0), noRecord(1), risk(2, 0.02), diagnosed(3, "2024-03-20"), diagnosed(4, "2024-03-20"), diagnosed(5, "2024-03-20")];
    expect(summary(points, [event(2, "Knee pain"), event(3, "Obesity diagnosis"), event(5, "New opioid course")])).toEqual([
      { from: date(0), to: date(1), state: "no-record", change: null, events: [] },
      { from: date(2), to: date(2), state: "risk", change: null, events: ["Knee pain"] },
      { from: date(3), to: date(5), state: "already-diagnosed", change: null, events: ["Obesity diagnosis", "New opioid course"] },
    ]);
  });

  it("starts a new row where the state or the first diagnosis differs", () => {
    const points = [noRecord(0), diagnosed(1, "2024-01-20"), diagnosed(2, "2023"), { indexDate: date(3), probability: null, state: "not-applicable" } as TrendPoint];
    expect(summary(points).map((r) => [r.from, r.to, r.state])).toEqual([
      [date(0), date(0), "no-record"],
      [date(1), date(1), "already-diagnosed"],
      [date(2), date(2), "already-diagnosed"],
      [date(3), date(3), "not-applicable"],
    ]);
  });

  it("has no row for no months", () => {
    expect(trendRows([], [])).toEqual([]);
  });
});
