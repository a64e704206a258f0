/**
 * The 36-month trend as a line chart (recharts), events as marked points. Loaded lazily: the
 * risk is on screen before the chart library arrives. The chart is an image to assistive
 * technology, described by its text alternative; the table beside it holds the same numbers.
 */
import { CartesianGrid, Line, LineChart, ReferenceDot, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatRisk } from "../../shared/format-risk.ts";
import type { Trend } from "../hooks/use-patient-view.ts";
import { PALETTE } from "./palette.ts";

export default function TrendChart({ trend, description }: { trend: Trend; description: string }) {
  const data = trend.points.map((p) => ({ date: p.indexDate.slice(0, 7), risk: p.probability === null ? null : p.probability * 100 }));
  return (
    <div className="chart" role="img" aria-label={description} data-testid="trend-chart">
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data} margin={{ top: 10, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={PALETTE.grid} />
          <XAxis dataKey="date" tick={{ fill: PALETTE.text, fontSize: 12 }} minTickGap={24} />
          <YAxis tick={{ fill: PALETTE.text, fontSize: 12 }} unit="%" width={48} />
          <Tooltip formatter={(v) => (typeof v === "number" ? formatRisk(v / 100) : String(v))} />
          <Line type="linear" dataKey="risk" name="1-year risk" stroke={PALETTE.line} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls={false} />
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
