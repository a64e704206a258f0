/**
 * FHIR date, dateTime and instant values as UTC calendar day numbers (days since 1970-01-01).
 *
 * Day numbers are plain integers so that hot loops compare and subtract days without creating
 * Date objects, and so that the result never depends on the machine's time zone.
 *
 * Rules (documented in models/FEATURES.md):
 * - A partial date (`2019`, `2019-04`) means its first day (2019-01-01, 2019-04-01).
 * - A dateTime with a time zone offset is converted to UTC first, then cut to the day:
 *   `2019-04-01T23:30:00-05:00` is the UTC day 2019-04-02.
 * - A dateTime without an offset (not valid FHIR, but seen in exports) is read as UTC.
 * - Anything else (bad shape, month 13, 30 February, hour 25, non-string) is invalid: null.
 */

const FHIR_DATE_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

const MINUTES_PER_DAY = 1440;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1-12) of a year, or 0 for a month out of range. */
function daysInMonth(year: number, month: number): number {
  if (month < 1 || month > 12) return 0;
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Day number of a proleptic Gregorian calendar date (H. Hinnant's days_from_civil), valid for
 * any year; the caller checks that month and day exist.
 */
export function dayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The calendar date of a day number (H. Hinnant's civil_from_days). */
export function civilFromDay(dayNumber: number): { year: number; month: number; day: number } {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** UTC day number of a FHIR date, dateTime or instant, or null when it is not a valid one. */
export function parseFhirDay(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const m = FHIR_DATE_TIME.exec(value);
  if (m === null) return null;
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  if (day < 1 || day > daysInMonth(year, month)) return null;
  const dayNumber = dayFromCivil(year, month, day);
  if (m[4] === undefined) return dayNumber;
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (hour > 23 || minute > 59 || second > 59) return null;
  const offset = parseOffsetMinutes(m[7]);
  if (offset === null) return null;
  const utcMinutes = hour * 60 + minute - offset;
  return dayNumber + Math.floor(utcMinutes / MINUTES_PER_DAY);
}

/** Minutes east of UTC of a FHIR time zone suffix ("Z", "+05:30"; absent means UTC). */
function parseOffsetMinutes(zone: string | undefined): number | null {
  if (zone === undefined || zone === "Z") return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (hours > 14 || minutes > 59) return null;
  const sign = zone[0] === "-" ? -1 : 1;
  return sign * (hours * 60 + minutes);
}

/** A day number as an ISO calendar date, YYYY-MM-DD. */
export function dayToIsoDate(dayNumber: number): string {
  const { year, month, day } = civilFromDay(dayNumber);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** Completed years between two days (birthday rule: a 29 February birthday falls on 1 March
 * in common years). Negative when `to` is before `from`. */
export function completedYears(from: number, to: number): number {
  const a = civilFromDay(from);
  const b = civilFromDay(to);
  let years = b.year - a.year;
  if (b.month < a.month || (b.month === a.month && b.day < a.day)) years -= 1;
  return years;
}
