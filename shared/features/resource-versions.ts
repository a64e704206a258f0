/**
 * Which of two versions of one resource (same type and id) to keep, independent of the order
 * they arrive in: the later meta.lastUpdated, then the higher meta.versionId (numerically when
 * both are numbers), then the smaller JSON text (an arbitrary but canonical order).
 */
import { asObject, asString, type JsonObject } from "./fhir-read.ts";

/** Milliseconds of meta.lastUpdated, or -Infinity when absent or unreadable. */
function lastUpdated(resource: JsonObject): number {
  const value = asString(asObject(resource.meta)?.lastUpdated);
  const time = value === undefined ? Number.NaN : Date.parse(value);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

function compareVersionIds(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  const numeric = /^\d+$/;
  if (numeric.test(a) && numeric.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : 1;
}

/** Whether `candidate` should replace `kept` as the version used. */
export function isPreferredVersion(candidate: JsonObject, kept: JsonObject): boolean {
  const time = lastUpdated(candidate) - lastUpdated(kept);
  if (time !== 0 && !Number.isNaN(time)) return time > 0;
  const version = compareVersionIds(asString(asObject(candidate.meta)?.versionId), asString(asObject(kept.meta)?.versionId));
  if (version !== 0) return version > 0;
  return JSON.stringify(candidate) < JSON.stringify(kept);
}
