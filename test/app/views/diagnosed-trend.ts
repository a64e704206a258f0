/** A 36-month trend from 2023-12-01 for an already diagnosed patient, for the trend views' tests. */
import type { Trend } from "../../../app/hooks/use-patient-view.ts";
import type { TrendPoint } from "../../../app/risk/risk-trend.ts";

/** The first day of the i-th month from 2023-12. */
function month(i: number): string {
  const m = 2023 * 12 + 11 + i;
  return `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}-01`;
}

/**
 * Risks of 2% for the first `scored` months, then already diagnosed: first recorded on the 20th of
 * the last scored month (between its index date and the next), or on 2023-04-12 when none was.
 */
export function diagnosedTrend(scored: number, events: Trend["events"]): Trend {
  const firstDiagnosed = scored === 0 ? "2023-04-12" : `${month(scored - 1).slice(0, 8)}20`;
  const points = Array.from({ length: 36 }, (_, i): TrendPoint =>
    i < scored ? { indexDate: month(i), probability: 0.02, state: "risk" } : { indexDate: month(i), probability: null, state: "already-diagnosed", firstDiagnosed },
  );
  return { points, events };
}
