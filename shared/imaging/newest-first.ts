/**
 * "Newest first" for imaging lists (the app's study list, the imaging AI results): by the instant
 * a FHIR date, dateTime or instant names, not by its text, which misorders time zones
 * (`10:00:00+05:00` is 05:00 UTC, before `06:00:00Z`) and precisions. A partial date counts from
 * its first instant (`2024` as 2024-01-01T00:00Z), the day parseFhirDay reads it as; what is
 * not a valid date sorts last.
 */
import { parseFhirDay } from "../fhir-dates.ts";

/** The time of a valid dateTime: to the minute, then optional seconds (and their fraction), then the zone. */
const TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Milliseconds since 1970 (UTC) of a FHIR date, dateTime or instant, or null when it is not a
 * valid one. parseFhirDay checks it (Date.parse takes 2025-02-30 for 2 March); it is then
 * written in the one form Date.parse must read alike everywhere (ECMAScript's date time string
 * format): no zone read as UTC (as parseFhirDay does), a leap second as :59, to the second
 * (a fraction longer than milliseconds is not in that format, and no imaging order needs it).
 */
export function fhirInstantMs(value: unknown): number | null {
  if (typeof value !== "string" || parseFhirDay(value) === null) return null;
  if (value.length <= 10) return Date.parse(value);
  const time = TIME.exec(value);
  if (time === null) return null;
  const [, minutes, seconds = "00", zone = "Z"] = time;
  return Date.parse(`${minutes}:${seconds === "60" ? "59" : seconds}${zone}`);
}

/** `items` newest first by the date `whenOf` gives (as sent, null when none), undated last; each
 * date is read once, not at every comparison. */
export function newestFirst<T>(items: readonly T[], whenOf: (item: T) => string | null): T[] {
  const keyed = items.map((item) => ({ item, ms: fhirInstantMs(whenOf(item)) }));
  keyed.sort((a, b) => (a.ms === null || b.ms === null ? (a.ms === b.ms ? 0 : a.ms === null ? 1 : -1) : b.ms - a.ms));
  return keyed.map(({ item }) => item);
}
