/**
 * The trend table's rows. A month with a risk is a row of its own; consecutive months without a
 * risk for the same reason (no record yet, already diagnosed since the same first diagnosis, the
 * model does not apply for the same reasons) are one row, so that an already diagnosed patient's 36 months read as
 * one line instead of 36 identical ones.
 */
import type { TrendPoint } from "./risk-trend.ts";
import type { TrendEvent } from "./trend-events.ts";

export interface TrendRow {
  /** The first and the last index date of the row: the same for one month. */
  from: string;
  to: string;
  /** The row's first month, whose state (and risk, for a month with one) is the row's. */
  point: TrendPoint;
  /** The change of risk from the month before, when both have one. */
  change: number | null;
  /** The events that count from a month of the row. */
  events: TrendEvent[];
}

function sameWithoutRisk(a: TrendPoint, b: TrendPoint): boolean {
  return a.state !== "risk" && a.state === b.state && a.firstDiagnosed === b.firstDiagnosed && String(a.notApplicable) === String(b.notApplicable);
}

export function trendRows(points: readonly TrendPoint[], events: readonly TrendEvent[]): TrendRow[] {
  const rows: { start: number; end: number }[] = [];
  points.forEach((point, i) => {
    const last = rows.at(-1);
    if (last !== undefined && sameWithoutRisk(points[last.start] as TrendPoint, point)) last.end = i;
    else rows.push({ start: i, end: i });
  });
  return rows.map(({ start, end }) => {
    const point = points[start] as TrendPoint;
    const before = points[start - 1]?.probability;
    return {
      from: point.indexDate,
      to: (points[end] as TrendPoint).indexDate,
      point,
      change: point.probability !== null && before != null ? point.probability - before : null,
      events: events.filter((e) => e.pointIndex >= start && e.pointIndex <= end),
    };
  });
}
