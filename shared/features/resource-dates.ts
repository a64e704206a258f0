/**
 * Dates of resources with fallbacks: the first field that is present decides. A present but
 * invalid date makes the resource unusable (it is counted, never guessed at).
 */
import { parseFhirDay } from "../fhir-dates.ts";
import type { QualityLog } from "./quality.ts";

export type DayRead = number | "missing" | "invalid";

/** The UTC day of the first candidate that is present (not undefined/null). Fixed parameters
 * rather than a rest list, so that no array is allocated per resource. */
export function firstDay(first: unknown, second?: unknown, third?: unknown, fourth?: unknown): DayRead {
  const value = first ?? second ?? third ?? fourth;
  if (value === undefined || value === null) return "missing";
  return parseFhirDay(value) ?? "invalid";
}

/** A read day, or null after counting why the resource cannot be dated. */
export function requireDay(resourceType: string, read: DayRead, quality: QualityLog): number | null {
  if (typeof read === "number") return read;
  quality.skip(resourceType, read === "missing" ? "no usable date" : "invalid date");
  return null;
}
