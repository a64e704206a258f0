/**
 * The change between two risks as the app writes them, so that the number of points stated
 * beside two risks is their difference as read ("1.2%" then "1.3%" is +0.1 points, whatever the
 * unrounded difference): the trend's table (formatPercent) and the what-if (formatRisk, beside
 * its tiers) both.
 */
import { formatPercent } from "../../shared/format-risk.ts";

/** A risk as written in tenths of a percent; null for none or a bound ("<0.1%", "<1.0%"), no number to subtract. */
function writtenTenths(probability: number | null | undefined, format: (probability: number) => string): number | null {
  const written = probability == null ? "" : format(probability);
  return /^\d/.test(written) ? Math.round(Number.parseFloat(written) * 10) : null;
}

/** `now` minus `before` as written by `format`, a multiple of 0.001; null when either has no risk or is written as a bound. */
export function changeAsWritten(before: number | null | undefined, now: number | null | undefined, format: (probability: number) => string = formatPercent): number | null {
  const [from, to] = [writtenTenths(before, format), writtenTenths(now, format)];
  return from === null || to === null ? null : (to - from) / 1000;
}
