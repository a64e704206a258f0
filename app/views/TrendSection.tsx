/** The trend: the chart (lazy), its text alternative, and the same numbers as a table. */
import { lazy, Suspense } from "react";
import { SHORT_DISCLAIMER } from "../../shared/assess-risk.ts";
import { formatPercent } from "../../shared/format-risk.ts";
import { DEFAULT_MIN_AGE_YEARS } from "../../shared/features/eligibility.ts";
import type { IneligibleReason } from "../../shared/features/types.ts";
import type { AsyncState } from "../hooks/use-async.ts";
import type { Trend } from "../hooks/use-patient-view.ts";
import { formatRiskTick, tierLines, TREND_MONTHS, type TrendPoint, trendRiskAxis } from "../risk/risk-trend.ts";
import { eventText } from "../risk/trend-events.ts";
import { NO_RISK_LABEL, type TrendRow, trendRows } from "../risk/trend-rows.ts";
import { DatedText } from "./IsoDate.tsx";
import { formatPoints } from "./Reasons.tsx";
import { tierLinesSentence } from "./tier-lines.ts";

const TrendChart = lazy(() => import("./TrendChart.tsx"));

type NoRiskState = Exclude<TrendPoint["state"], "risk">;

/** Short forms of the risk summary's sentences (RiskSummary.tsx), for a table cell. */
const NOT_APPLICABLE: Record<Exclude<IneligibleReason, "already_diagnosed">, string> = {
  born_after_index: "not yet born",
  under_min_age: `under the minimum age of ${DEFAULT_MIN_AGE_YEARS}`,
  no_birth_date: "no birth date",
  no_patient: "no Patient resource",
  deceased: "died before this date",
};

/** Why a month has no risk, in the words of both the table and the text alternative. */
function noRiskReason(state: NoRiskState, point: TrendPoint): string {
  if (point.firstDiagnosed !== undefined) return `${NO_RISK_LABEL[state]} (knee OA first recorded ${point.firstDiagnosed})`;
  const why = (point.notApplicable ?? []).flatMap((r) => (r === "already_diagnosed" ? [] : [NOT_APPLICABLE[r]]));
  return why.length === 0 ? NO_RISK_LABEL[state] : `${NO_RISK_LABEL[state]} (${why.join("; ")})`;
}

function rowDates(row: TrendRow): string {
  return row.from === row.to ? row.from : `${row.from} to ${row.to}`;
}

/** The chart's text alternative, its accessible name (the same dates, values, scale, tier lines
 * and months without a risk as the chart and the table, in time order), or, when no month has a risk, the one sentence shown instead of both.
 * `rows`: the table's, when the caller has them. */
export function describeTrend(trend: Trend, rows: readonly TrendRow[] = trendRows(trend.points, trend.events)): string {
  const risks = trend.points.filter((p) => p.probability !== null);
  if (risks.length === 0) {
    const notScored = rows.map((row) => `${rowDates(row)}, ${noRiskReason(row.point.state as NoRiskState, row.point)}`);
    return `The model gave no risk at any of the ${TREND_MONTHS} monthly dates: ${notScored.join("; ")}.`;
  }
  const high = risks.reduce((a, b) => ((b.probability as number) > (a.probability as number) ? b : a));
  // Only the events at a month with a risk have a dot on the chart.
  const marked = trend.events.filter((e) => trend.points[e.pointIndex]?.probability != null).length;
  const axisMax = trendRiskAxis(trend.points).max;
  return (
    `Risk trend, monthly over ${TREND_MONTHS} months, on an axis from 0% to ${formatRiskTick(axisMax)}. ` +
    `${tierLinesSentence(tierLines(axisMax))} ` +
    inTimeOrder(rows).join(" ") +
    ` Highest ${formatPercent(high.probability as number)} on ${high.indexDate}; ` +
    `${marked} marked event${marked === 1 ? "" : "s"}. The table below lists every value.`
  );
}

/** The trend's stretches in time order: each run of months with a risk by its first and last risk,
 * each row without one by its reason. */
function inTimeOrder(rows: readonly TrendRow[]): string[] {
  const sentences: string[] = [];
  let run: TrendPoint[] = [];
  const risk = (p: TrendPoint) => `${formatPercent(p.probability as number)} on ${p.indexDate}`;
  const endRun = () => {
    const [first, last] = [run[0], run.at(-1)];
    if (first !== undefined && last !== undefined) sentences.push(first === last ? `${risk(first)}.` : `${risk(first)} to ${risk(last)}.`);
    run = [];
  };
  for (const row of rows) {
    if (row.point.state === "risk") run.push(row.point);
    else {
      endRun();
      sentences.push(`${rowDates(row)}: ${noRiskReason(row.point.state, row.point)}, no risk.`);
    }
  }
  endRun();
  return sentences;
}

export function TrendSection({ state }: { state: AsyncState<Trend | "missing-required"> }) {
  return (
    <section aria-labelledby="trend-heading" className="panel trend" data-testid="trend">
      <h2 id="trend-heading">Risk over the past 3 years</h2>
      <TrendBody state={state} />
    </section>
  );
}

function TrendBody({ state }: { state: AsyncState<Trend | "missing-required"> }) {
  if (state.status === "pending") return <p role="status">Computing the trend...</p>;
  if (state.status === "failed") return <p role="alert">The trend could not be computed: {state.error.message}</p>;
  if (state.value === "missing-required") return <p>No trend: the record is incomplete (see the risk above).</p>;
  const trend = state.value;
  const rows = trendRows(trend.points, trend.events);
  const description = describeTrend(trend, rows);
  if (!trend.points.some((p) => p.probability !== null)) return <p><DatedText text={description} /></p>;
  return (
    <>
      <p className="hint">
        Each point is the risk the model gives from the records that existed on that date. Orange dots mark events.{" "}
        {tierLinesSentence(tierLines(trendRiskAxis(trend.points).max))} {SHORT_DISCLAIMER}.
        {trend.points.some((p) => p.state !== "risk") && " Shaded months have no risk; the label says why (the table gives each reason)."}
      </p>
      <Suspense fallback={<p role="status">Loading the chart...</p>}>
        <TrendChart trend={trend} rows={rows} description={description} />
      </Suspense>
      <details>
        <summary>The trend as a table</summary>
        {/* The table's name above its scroll region, not a caption: a caption is as wide as the
            table and was cut off in a 360 px panel. */}
        <p className="table-title" id="trend-table-title">
          1-year risk at each monthly index date, with the events that count from that date
        </p>
        {/* Three columns (the change beside its risk) fit a 360 px panel; larger text or a wide EHR
            font can still make the table wider than the panel, so its region is focusable and
            named, for a keyboard to scroll it. */}
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="trend-table-title">
          <table className="trend-table" data-testid="trend-table" aria-labelledby="trend-table-title">
            <thead>
              <tr>
                <th scope="col">Index date</th>
                <th scope="col">Risk (change in points)</th>
                <th scope="col">Events</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.from}>
                  <th scope="row">
                    <DatedText text={rowDates(row)} />
                  </th>
                  <td>
                    {row.point.state === "risk" ? (
                      `${formatPercent(row.point.probability as number)}${row.change === null ? "" : ` (${formatPoints(row.change)})`}`
                    ) : (
                      <DatedText text={`${noRiskReason(row.point.state, row.point)}, no risk`} />
                    )}
                  </td>
                  <td>
                    <DatedText text={row.events.map(eventText).join("; ")} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
