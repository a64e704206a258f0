/** An event on the trend never sits on a date before the record starts. */
import { describe, expect, it } from "vitest";
import type { RecordRef } from "../../../app/risk/driver-records.ts";
import type { TrendPoint } from "../../../app/risk/risk-trend.ts";
import { trendEvents } from "../../../app/risk/trend-events.ts";

const point = (indexDate: string, state: TrendPoint["state"]): TrendPoint => ({ indexDate, probability: state === "risk" ? 0.004 : null, state });

describe("trendEvents and the start of the record", () => {
  it("puts an event dated before the record starts (an old onset recorded later) on the first date with a record", () => {
    const points = [point("2023-10-15", "no-record"), point("2023-11-15", "no-record"), point("2023-12-15", "risk"), point("2024-01-15", "risk")];
    const injury: RecordRef = { resourceType: "Condition", id: "acl", date: "2023-10-20", codings: [] };
    const events = trendEvents(points, new Map([["diagnosis:knee_injury", [injury]]]));
    // The first date after 2023-10-20 is 2023-11-15, but nothing counts there yet: 2023-12-15 (index 2).
    expect(events).toEqual([{ date: "2023-10-20", label: "Knee injury", pointIndex: 2 }]);
  });
});
