/**
 * "Is such a record on the patient's record, and when was the latest?": the shape of the caveats
 * that say the risk may not apply (shared/oa-site-not-stated.ts, shared/knee-replaced.ts). Each
 * rule decides which resources count and which day each one has; this only finds the latest.
 */
import type { Resource } from "fhir/r4";
import { dayToIsoDate } from "./fhir-dates.ts";

export interface OnRecord {
  /** YYYY-MM-DD of the most recent counted resource, or null when none is dated. */
  date: string | null;
}

/**
 * The latest day of the resources `dayIfCounted` counts (it gives a day number, null for a counted
 * resource without a date, undefined for one that does not count), or null when none counts. An
 * undated one counts: the question is whether the record holds it, not when.
 */
export function latestOnRecord(resources: readonly Resource[], dayIfCounted: (resource: Resource) => number | null | undefined): OnRecord | null {
  let found = false;
  let latest: number | null = null;
  for (const resource of resources) {
    const day = dayIfCounted(resource);
    if (day === undefined) continue;
    found = true;
    if (day !== null && (latest === null || day > latest)) latest = day;
  }
  return found ? { date: latest === null ? null : dayToIsoDate(latest) } : null;
}
