/**
 * The 36-month trend as a line chart (recharts), events as marked points, the months without a
 * risk (no record yet, already diagnosed, the model does not apply) shaded, labelled with why, and
 * without a point, and the tiers' thresholds as dashed lines, labelled. Loaded lazily: the risk is on screen before the
 * chart library arrives. The chart is an image to assistive technology, described by its text
 * alternative; the table beside it holds the same numbers.
 */
import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatPercent } from "../../shared/format-risk.ts";
import type { Trend } from "../hooks/use-patient-view.ts";
import { formatRiskTick, tierLines, trendRiskAxis } from "../risk/risk-trend.ts";
import { eventText } from "../risk/trend-events.ts";
import { noRiskSpans, type TrendRow } from "../risk/trend-rows.ts";
import { PALETTE } from "./palette.ts";
import { tierLineLabel } from "./tier-lines.ts";

/** Width of the y axis: the longest tick label at 12 px (about 8 px a character, generous for
 * "%"), plus the tick mark and a gap, so that no label is clipped ("0.045%" lost its "0" at 48). */
function axisWidth(labels: readonly string[]): number {
  return Math.max(...labels.map((label) => label.length)) * 8 + 16;
}

/** Each month's label with the events that count from it, as the table writes them
 * ("2024-02: Knee pain (2024-01-20); New NSAID course (2024-01-25)"). */
function eventsByMonth(trend: Trend, data: readonly { date: string }[]): Map<string, string> {
  const labels = new Map<string, string[]>();
  for (const e of trend.events) {
    const month = data[e.pointIndex]?.date;
    if (month !== undefined) labels.set(month, [...(labels.get(month) ?? []), eventText(e)]);
  }
  return new Map([...labels].map(([month, events]) => [month, `${month}: ${events.join("; ")}`]));
}

/** A tier line's label lies where the risk line may run (recharts draws labels over lines): a
 * halo in the panel's colour under its letters (the stroke painted first) keeps it legible
 * wherever the data goes, and its text on the panel's colour keeps its contrast. */
const TIER_LABEL_HALO = { stroke: "var(--panel)", strokeWidth: "4px", strokeLinejoin: "round", paintOrder: "stroke" } as const;

export default function TrendChart({ trend, rows, description }: { trend: Trend; rows?: readonly TrendRow[]; description: string }) {
  // Probabilities as they are (no conversion to percent), so ticks and tooltips are written as the table writes them.
  const data = trend.points.map((p) => ({ date: p.indexDate.slice(0, 7), risk: p.probability }));
  const axis = trendRiskAxis(trend.points);
  const monthEvents = eventsByMonth(trend, data);
  return (
    <div className="chart" role="img" aria-label={description} data-testid="trend-chart">
      <ResponsiveContainer width="100%" height={220}>
        {/* No accessibility layer: it makes the svg a focusable, unnamed "application" inside this
            image, a tab stop that says nothing; the description and the table carry the values. */}
        <LineChart data={data} margin={{ top: 10, right: 12, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid stroke={PALETTE.grid} />
          <XAxis dataKey="date" tick={{ fill: PALETTE.text, fontSize: 12 }} minTickGap={24} />
          <YAxis
            tick={{ fill: PALETTE.text, fontSize: 12 }}
            domain={[0, axis.max]}
            ticks={axis.ticks}
            tickFormatter={formatRiskTick}
            width={axisWidth(axis.ticks.map(formatRiskTick))}
          />
          {noRiskSpans(trend.points, rows).map((span) => (
            <ReferenceArea
              key={span.from}
              x1={span.from.slice(0, 7)}
              x2={span.to.slice(0, 7)}
              fill={PALETTE.grid}
              fillOpacity={0.5}
              ifOverflow="hidden"
              label={{ value: span.label, position: "insideTop", fill: PALETTE.text, fontSize: 11 }}
            />
          ))}
          {/* The tiers' thresholds on the axis (shared/risk-tiers.ts), under the line: where Moderate and High begin, each label above its line, in the band it names. */}
          {tierLines(axis.max).map((line) => (
            <ReferenceLine
              key={line.tier}
              y={line.probability}
              stroke={PALETTE.tier[line.tier]}
              strokeWidth={2}
              strokeDasharray="6 4"
              label={{ value: tierLineLabel(line), position: "insideBottomLeft", fill: PALETTE.text, fontSize: 11, style: TIER_LABEL_HALO }}
            />
          ))}
          {/* "Risk: 3.1%": recharts' default separator is " : ". Under the month, its events, as the table lists them. */}
          <Tooltip
            separator=": "
            formatter={(v) => (typeof v === "number" ? formatPercent(v) : String(v))}
            labelFormatter={(month) => monthEvents.get(String(month)) ?? String(month)}
          />
          <Line type="linear" dataKey="risk" name="Risk" stroke={PALETTE.line} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls={false} />
          {trend.events.map((e) => {
            const point = data[e.pointIndex];
            return point?.risk == null ? null : (
              <ReferenceDot key={`${e.date}-${e.label}`} x={point.date} y={point.risk} r={5} fill={PALETTE.event} stroke={PALETTE.text} />
            );
          })}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
