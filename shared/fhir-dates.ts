/**
 * FHIR date, dateTime and instant values as UTC calendar day numbers (days since 1970-01-01).
 *
 * Day numbers are plain integers so that hot loops compare and subtract days without creating
 * Date objects, and so that the result never depends on the machine's time zone.
 *
 * Rules (documented in models/FEATURES.md):
 * - A partial date (`2019`, `2019-04`) means its first day (2019-01-01, 2019-04-01) for
 *   parseFhirDay and its last day (2019-12-31, 2019-04-30) for parseFhirLastDay.
 * - A dateTime with a time zone offset is converted to UTC first, then cut to the day:
 *   `2019-04-01T23:30:00-05:00` is the UTC day 2019-04-02.
 * - A dateTime without an offset (not valid FHIR, but seen in exports) is read as UTC.
 * - Second 60 (a leap second, valid FHIR) is accepted; seconds never move the day.
 * - An offset beyond +-14:00 (e.g. +14:30, -15:00) is invalid.
 * - Anything else (bad shape, month 13, 30 February, hour 25, non-string) is invalid: null.
 */

const MINUTES_PER_DAY = 1440;
const MAX_OFFSET_MINUTES = 14 * 60;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1-12) of a year, or 0 for a month out of range. */
export function daysInMonth(year: number, month: number): number {
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

const ZERO = 48;

/** The number written by `count` ASCII digits at `at`, or -1 when one of them is not a digit.
 * Hand-parsed rather than matched with a regular expression: this runs for every date of
 * every resource, and is several times faster. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** UTC day number of a FHIR date, dateTime or instant, or null when it is not a valid one:
 * YYYY, YYYY-MM, YYYY-MM-DD, or YYYY-MM-DDThh:mm[:ss[.fff]][Z|(+|-)hh:mm]. */
export function parseFhirDay(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const length = value.length;
  if (length !== 4 && length !== 7 && length < 10) return null;
  const year = digits(value, 0, 4);
  if (year < 0) return null;
  let month = 1;
  let day = 1;
  if (length >= 7) {
    month = value.charCodeAt(4) === 45 ? digits(value, 5, 2) : -1;
    if (length >= 10) day = value.charCodeAt(7) === 45 ? digits(value, 8, 2) : -1;
  }
  if (day < 1 || day > daysInMonth(year, month)) return null;
  const dayNumber = dayFromCivil(year, month, day);
  if (length === 4 || length === 7 || length === 10) return dayNumber;
  const minutes = utcMinutesOfTime(value);
  return minutes === null ? null : dayNumber + Math.floor(minutes / MINUTES_PER_DAY);
}

/**
 * UTC day number of a full calendar date written exactly `YYYY-MM-DD` (four-digit year,
 * two-digit month and day) on a day that exists, or null for anything else: a partial date
 * (`2025`, `2025-01`), a dateTime (`2025-01-01T00:00:00Z`), a short field (`2025-1-01`), a
 * day that does not exist (`2025-02-30`, `2023-02-29`, `2025-13-01`) or a non-string. The one
 * rule for an index date, an end date or any option that must name a single day.
 */
export function parseCalendarDay(value: unknown): number | null {
  return typeof value === "string" && value.length === 10 ? parseFhirDay(value) : null;
}

/** UTC day number of the LAST day a FHIR date stands for: the end of a partial date's year or
 * month (`2019-11` gives 2019-11-30), else the same day as parseFhirDay; null when invalid. */
export function parseFhirLastDay(value: unknown): number | null {
  const first = parseFhirDay(value);
  if (first === null || typeof value !== "string") return null;
  if (value.length === 4) return dayFromCivil(digits(value, 0, 4), 12, 31);
  if (value.length === 7) {
    const year = digits(value, 0, 4);
    const month = digits(value, 5, 2);
    return dayFromCivil(year, month, daysInMonth(year, month));
  }
  return first;
}

/** Minutes from the local midnight to the time in UTC (may be negative or past a day), for the
 * part from "T" on; null when malformed. */
function utcMinutesOfTime(value: string): number | null {
  if (value.charCodeAt(10) !== 84 /* T */ || value.length < 16 || value.charCodeAt(13) !== 58) return null;
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return null;
  let at = 16;
  if (value.charCodeAt(at) === 58 /* : */) {
    const second = digits(value, at + 1, 2);
    if (second < 0 || second > 60) return null;
    at += 3;
    if (value.charCodeAt(at) === 46 /* . */) {
      at += 1;
      const fractionStart = at;
      while (at < value.length && digits(value, at, 1) >= 0) at += 1;
      if (at === fractionStart) return null;
    }
  }
  const offset = parseOffsetMinutes(value, at);
  return offset === null ? null : hour * 60 + minute - offset;
}

/** Minutes east of UTC of the time zone suffix that starts at `at` ("Z", "+05:30"; nothing
 * means UTC). */
function parseOffsetMinutes(value: string, at: number): number | null {
  const rest = value.length - at;
  if (rest === 0 || (rest === 1 && value.charCodeAt(at) === 90 /* Z */)) return 0;
  const signChar = value.charCodeAt(at);
  const sign = signChar === 45 /* - */ ? -1 : signChar === 43 /* + */ ? 1 : 0;
  if (sign === 0 || rest !== 6 || value.charCodeAt(at + 3) !== 58 /* : */) return null;
  const hours = digits(value, at + 1, 2);
  const minutes = digits(value, at + 4, 2);
  const total = hours * 60 + minutes;
  // FHIR's dateTime pattern allows offsets up to 14:00 either way (docs/standards.md).
  if (hours < 0 || minutes < 0 || minutes > 59 || total > MAX_OFFSET_MINUTES) return null;
  return sign * total;
}

/** How precisely a FHIR date is written: a year (`2013`), a month (`2013-05`) or a day (a full
 * date, or a dateTime, which names a day and more). */
export type DatePrecision = "year" | "month" | "day";

/** The precision of a valid FHIR date, dateTime or instant (see parseFhirDay). */
export function datePrecision(value: string): DatePrecision {
  return value.length === 4 ? "year" : value.length === 7 ? "month" : "day";
}

/** A YYYY-MM-DD date written to a precision: `2013`, `2013-05` or `2013-05-17`. */
export function isoDateAtPrecision(isoDate: string, precision: DatePrecision): string {
  return precision === "year" ? isoDate.slice(0, 4) : precision === "month" ? isoDate.slice(0, 7) : isoDate;
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
