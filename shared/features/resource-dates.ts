/**
 * Dates of resources with fallbacks: the first field that is present decides. A present but
 * invalid date makes the resource unusable (it is counted, never guessed at).
 *
 * Partial dates (`2019`, `2019-11`) stand for a whole year or month. As evidence before the index
 * date, such a date counts only when its whole period ends before the index date; then it counts
 * on its first day. A period that reaches the index date may describe a day on or after it, so
 * the date is read as the index day itself, which every "on or after the index" rule drops.
 * An END date (of a period) means the last day of its year or month.
 */
import { parseFhirDay, parseFhirLastDay } from "../fhir-dates.ts";
import type { QualityLog } from "./quality.ts";

export type DayRead = number | "missing" | "invalid";

/** Length of a full date (YYYY-MM-DD); anything shorter that parses is a partial date. */
const FULL_DATE_LENGTH = 10;

/** The UTC day of the first candidate that is present (not undefined/null), as evidence seen
 * at `indexDay` (see above for partial dates). Fixed parameters rather than a rest list, so that
 * no array is allocated per resource. */
export function evidenceDay(indexDay: number, first: unknown, second?: unknown, third?: unknown, fourth?: unknown): DayRead {
  const value = first ?? second ?? third ?? fourth;
  if (value === undefined || value === null) return "missing";
  const day = parseFhirDay(value);
  if (day === null) return "invalid";
  if (day < indexDay && (value as string).length < FULL_DATE_LENGTH && (parseFhirLastDay(value) ?? day) >= indexDay) {
    return indexDay;
  }
  return day;
}

/** The last UTC day of a period's end date (a partial end date ends with its year or month). */
export function endDay(value: unknown): DayRead {
  if (value === undefined || value === null) return "missing";
  return parseFhirLastDay(value) ?? "invalid";
}

/** A read day, or null after counting why the resource cannot be dated. */
export function requireDay(resourceType: string, read: DayRead, quality: QualityLog): number | null {
  if (typeof read === "number") return read;
  quality.skip(resourceType, read === "missing" ? "no usable date" : "invalid date");
  return null;
}
