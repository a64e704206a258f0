/** The trend: the chart (lazy), its text alternative, and the same numbers as a table. */
import { lazy, Suspense } from "react";
import { SHORT_DISCLAIMER } from "../../shared/assess-risk.ts";
import { formatRisk } from "../../shared/format-risk.ts";
import type { AsyncState } from "../hooks/use-async.ts";
import type { Trend } from "../hooks/use-patient-view.ts";
import { formatRiskTick, TREND_MONTHS, type TrendPoint, trendRiskAxis } from "../risk/risk-trend.ts";
import { formatPoints } from "./Reasons.tsx";

const TrendChart = lazy(() => import("./TrendChart.tsx"));

const NO_RISK: Record<Exclude<TrendPoint["state"], "risk">, string> = {
  "already-diagnosed": "already diagnosed",
  "not-applicable": "model does not apply",
  "no-record": "no record yet",
};

/** Where the record starts, in words: nothing when every date has a record before it. */
function noRecordText(points: readonly TrendPoint[]): string {
  const noRecord = points.filter((p) => p.state === "no-record");
  if (noRecord.length === 0) return "";
  if (noRecord.length === points.length) return " No record yet at any of them.";
  return ` No record yet at the first ${noRecord.length} (to ${noRecord.at(-1)?.indexDate}), so no risk there.`;
}

/** The chart's text alternative: the same dates, values and scale as the chart. */
export function describeTrend(trend: Trend): string {
  const risks = trend.points.filter((p) => p.probability !== null);
  const first = risks[0];
  const last = risks.at(-1);
  const noRecord = noRecordText(trend.points);
  if (first === undefined || last === undefined) return `Risk trend over ${TREND_MONTHS} months: the model applies at none of the dates.${noRecord}`;
  const high = risks.reduce((a, b) => ((b.probability as number) > (a.probability as number) ? b : a));
  return (
    `Risk trend, monthly over ${TREND_MONTHS} months, on an axis from 0% to ${formatRiskTick(trendRiskAxis(trend.points).max)}.${noRecord} ` +
    `${formatRisk(first.probability as number)} on ${first.indexDate}, ` +
    `${formatRisk(last.probability as number)} on ${last.indexDate}, highest ${formatRisk(high.probability as number)} on ${high.indexDate}; ` +
    `${trend.events.length} marked event${trend.events.length === 1 ? "" : "s"}. The table below lists every value.`
  );
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
  const description = describeTrend(trend);
  const charted = trend.points.some((p) => p.probability !== null);
  return (
    <>
      <p className="hint">
        Each point is the risk the model gives from the records that existed on that date. Orange dots mark events. {SHORT_DISCLAIMER}.
        {charted && trend.points.some((p) => p.state === "no-record") && " The shaded months come before the first dated record: no record yet, so no risk."}
      </p>
      {charted ? (
        <>
          <Suspense fallback={<p role="status">Loading the chart...</p>}>
            <TrendChart trend={trend} description={description} />
          </Suspense>
          <p className="visually-hidden">{description}</p>
        </>
      ) : (
        <p>{description}</p>
      )}
      <details>
        <summary>The trend as a table</summary>
        {/* The table's name above its scroll region, not a caption: a caption is as wide as the
            table and was cut off in a 360 px panel. */}
        <p className="table-title" id="trend-table-title">
          1-year risk at each monthly index date, with the events that count from that date
        </p>
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Trend table (scrolls sideways)">
          <table className="trend-table" data-testid="trend-table" aria-labelledby="trend-table-title">
            <thead>
              <tr>
                <th scope="col">Index date</th>
                <th scope="col">Risk</th>
                <th scope="col">Change (points)</th>
                <th scope="col">Events</th>
              </tr>
            </thead>
            <tbody>
              {trend.points.map((p, i) => {
                const before = trend.points[i - 1]?.probability;
                const events = trend.events.filter((e) => e.pointIndex === i);
                return (
                  <tr key={p.indexDate}>
                    <th scope="row">{p.indexDate}</th>
                    <td>{p.state === "risk" ? formatRisk(p.probability as number) : NO_RISK[p.state]}</td>
                    <td>{p.probability !== null && before != null ? formatPoints(p.probability - before) : ""}</td>
                    <td>{events.map((e) => `${e.label} (${e.date})`).join("; ")}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
