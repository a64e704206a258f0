/** Number, percentage, interval and table formatting for the Markdown reports. */
import type { Interval } from "./metrics/types.ts";

export const num = (v: number | null | undefined, digits = 3): string => (v === null || v === undefined || Number.isNaN(v) ? "n/a" : v.toFixed(digits));
export const pct = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined || Number.isNaN(v) ? "n/a" : `${(v * 100).toFixed(digits)}%`);
export const ci = (v: Interval | null | undefined, digits = 3): string =>
  v === null || v === undefined ? "n/a" : `${num(v.estimate, digits)} (${num(v.lower, digits)} to ${num(v.upper, digits)})`;
export const pctInterval = (v: number, lower: number, upper: number): string =>
  Number.isNaN(lower) || Number.isNaN(upper) ? `${pct(v, 2)} (no interval)` : `${pct(v, 2)} (${pct(lower, 2)}-${pct(upper, 2)})`;

export function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}
