/**
 * The index dates of a risk trend: the same day of the month, month by month, back from an
 * index date. A day that the earlier month lacks (31 March back to February) falls to that
 * month's last day, so every point is at most one calendar month from its neighbours.
 * Used by the SMART app's 36-month trend; the population job's yearly dates are
 * population/index-dates.ts (a different question: training labels, not a display).
 */
import { dayFromCivil, daysInMonth, dayToIsoDate, parseCalendarDay } from "./fhir-dates.ts";

/** `count` index dates (YYYY-MM-DD), oldest first, the last being `indexDate` itself. */
export function monthlyIndexDates(indexDate: string, count: number): string[] {
  if (parseCalendarDay(indexDate) === null) {
    throw new RangeError(`monthlyIndexDates: indexDate must be a calendar date YYYY-MM-DD, got ${JSON.stringify(indexDate)}`);
  }
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`monthlyIndexDates: count must be a positive integer, got ${count}`);
  const [year, month, day] = indexDate.split("-").map(Number) as [number, number, number];
  const dates: string[] = [];
  for (let back = count - 1; back >= 0; back--) {
    const monthsSinceYearZero = year * 12 + (month - 1) - back;
    const y = Math.floor(monthsSinceYearZero / 12);
    const m = monthsSinceYearZero - y * 12 + 1;
    dates.push(dayToIsoDate(dayFromCivil(y, m, Math.min(day, daysInMonth(y, m)))));
  }
  return dates;
}
