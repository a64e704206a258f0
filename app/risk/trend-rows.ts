/**
 * The trend table's rows. A month with a risk is a row of its own; consecutive months without a
 * risk for the same reason (no record yet, already diagnosed since the same first diagnosis, the
 * model does not apply for the same reasons) are one row, so that an already diagnosed patient's 36 months read as
 * one line instead of 36 identical ones.
 */
import type { TrendPoint } from "./risk-trend.ts";
import type { TrendEvent } from "./trend-events.ts";
import { changeAsWritten } from "./written-change.ts";

export interface TrendRow {
  /** The first and the last index date of the row: the same for one month. */
  from: string;
  to: string;
  /** The row's first month, whose state (and risk, for a month with one) is the row's. */
  point: TrendPoint;
  /** The change of risk from the month before, between the two values as written (formatPercent):
   * a multiple of 0.001, so that it agrees with them ("1.2%" then "1.3%" is +0.1 points, whatever
   * the unrounded difference). null when either month has no risk or is written as a bound ("<0.1%"). */
  change: number | null;
  /** The events that count from a month of the row. */
  events: TrendEvent[];
  /** The indexes of the row's first and last month among the points. */
  start: number;
  end: number;
}

/** Why a month has no risk, in a few words: the chart's label and the start of the table's reason. */
export const NO_RISK_LABEL: Readonly<Record<Exclude<TrendPoint["state"], "risk">, string>> = {
  "already-diagnosed": "already diagnosed",
  "not-applicable": "model does not apply",
  "no-record": "no record yet",
};

/** A stretch of the chart without a line, as the chart's index dates. */
export interface NoRiskSpan {
  from: string;
  to: string;
  label: string;
}

/** The chart's stretches without a risk: each row without one, from the risk before it (where the
 * line stops; else the row's first month) to the month after it (where the line resumes or the
 * next stretch begins; else the row's last month), so that every gap in the line is shaded once.
 * `rows`: the table's rows when the caller has them (their months do not depend on the events). */
export function noRiskSpans(points: readonly TrendPoint[], rows: readonly TrendRow[] = trendRows(points, [])): NoRiskSpan[] {
  return rows.flatMap((row) => {
    if (row.point.state === "risk") return [];
    const before = points[row.start - 1];
    const from = before?.state === "risk" ? before.indexDate : row.from;
    return [{ from, to: points[row.end + 1]?.indexDate ?? row.to, label: NO_RISK_LABEL[row.point.state] }];
  });
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
    return {
      from: point.indexDate,
      to: (points[end] as TrendPoint).indexDate,
      point,
      change: changeAsWritten(points[start - 1]?.probability, point.probability),
      events: events.filter((e) => e.pointIndex >= start && e.pointIndex <= end),
      start,
      end,
    };
  });
}
