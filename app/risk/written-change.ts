/**
 * The change between two risks as the app writes them, so that the number of points stated
 * beside two risks is their difference as read ("1.2%" then "1.3%" is +0.1 points, whatever the
 * unrounded difference): the trend's table (formatPercent) and the what-if (formatRisk, beside
 * its tiers) both.
 */
import { formatPercent } from "../../shared/format-risk.ts";

/** A risk as written in tenths of a percent; null for none or a bound ("<0.1%", "<1.0%"), no number to subtract. */
function writtenTenths(probability: number | null | undefined, format: (probability: number) => string): number | null {
  if (probability == null) return null;
  const { lo, hi } = writtenInterval(format(probability));
  return lo === hi ? lo : null;
}

/** `now` minus `before` as written by `format`, a multiple of 0.001; null when either has no risk or is written as a bound. */
export function changeAsWritten(before: number | null | undefined, now: number | null | undefined, format: (probability: number) => string = formatPercent): number | null {
  const [from, to] = [writtenTenths(before, format), writtenTenths(now, format)];
  return from === null || to === null ? null : (to - from) / 1000;
}

/** A risk as written, in tenths of a percent, as the interval a reader can take from it: "1.2%"
 * is 1.2 itself, "<1.0%" anything from 0 below 1.0, ">99.9%" anything above 99.9 to 100. */
interface WrittenInterval {
  lo: number;
  hi: number;
  loOpen: boolean;
  hiOpen: boolean;
}

function writtenInterval(written: string): WrittenInterval {
  const tenths = Math.round(Number.parseFloat(written.replace(/^[<>]/, "")) * 10);
  if (written.startsWith("<")) return { lo: 0, hi: tenths, loOpen: false, hiOpen: true };
  if (written.startsWith(">")) return { lo: tenths, hi: 1000, loOpen: true, hiOpen: false };
  return { lo: tenths, hi: tenths, loOpen: false, hiOpen: false };
}

/**
 * How `after` differs from `before` as the two are written by `format`, for a sentence that
 * states it in every case: the difference of the values as written ("1.2%" then "1.3%" is 0.1
 * points higher), and beside a bound what the values as written allow ("1.4%" then "<1.0%" is
 * more than 0.4 points lower; "<1.0%" then "0.8%" less than 0.2 points lower). `points` is in
 * percentage points, a multiple of 0.1. Where the values as written leave the direction open
 * (a bound on one side only, straddling the other), it is the direction of the risks themselves.
 */
export type WrittenDifference =
  | { direction: "same" }
  | { direction: "higher" | "lower"; bound: "exactly" | "more than" | "less than" | "up to"; points: number };

export function differenceAsWritten(before: number, after: number, format: (probability: number) => string): WrittenDifference {
  const [from, to] = [format(before), format(after)];
  if (from === to) return { direction: "same" };
  const [b, a] = [writtenInterval(from), writtenInterval(to)];
  // after - before, as an interval of tenths.
  const lo = a.lo - b.hi;
  const hi = a.hi - b.lo;
  const loOpen = a.loOpen || b.hiOpen;
  const hiOpen = a.hiOpen || b.loOpen;
  const points = (tenths: number) => Math.abs(tenths) / 10;
  if (lo === hi) return { direction: lo > 0 ? "higher" : "lower", bound: "exactly", points: points(lo) };
  const higher = lo >= 0 || (hi > 0 && after > before);
  if (higher) return lo > 0 ? { direction: "higher", bound: "more than", points: points(lo) } : { direction: "higher", bound: hiOpen ? "less than" : "up to", points: points(hi) };
  return hi < 0 ? { direction: "lower", bound: "more than", points: points(hi) } : { direction: "lower", bound: loOpen ? "less than" : "up to", points: points(lo) };
}
