/**
 * Which of two versions of one resource (same type and id) to keep, independent of the order
 * they arrive in: the later meta.lastUpdated, then the higher meta.versionId (numerically when
 * both are numbers), then the smaller JSON text (an arbitrary but canonical order).
 */
import { asObject, asString, type JsonObject } from "./fhir-read.ts";

/** A date-time with a time but no zone suffix (after the date, no "Z", "+" or "-"). */
const ZONELESS_DATE_TIME = /T[^Z+-]*$/;

/**
 * Milliseconds of meta.lastUpdated, or -Infinity when absent or unreadable. A time without a zone
 * (not valid FHIR, but seen in exports) is read as UTC, like every other date here: Date.parse
 * would read it in the machine's time zone, and the kept version would depend on where it runs.
 */
function lastUpdated(resource: JsonObject): number {
  const value = asString(asObject(resource.meta)?.lastUpdated);
  const time = value === undefined ? Number.NaN : Date.parse(ZONELESS_DATE_TIME.test(value) ? `${value}Z` : value);
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

/** Closing brackets and separators waiting on jsonText's stack, told apart from JSON values. */
class Punctuation {
  constructor(readonly text: string) {}
}
const COMMA = new Punctuation(",");
const CLOSE_ARRAY = new Punctuation("]");
const CLOSE_OBJECT = new Punctuation("}");

/**
 * The text JSON.stringify gives for parsed JSON, built with an explicit stack: JSON.stringify
 * recurses and overflows the call stack on a resource nested some thousands of levels deep, which
 * anyone can send (and JSON.parse reads).
 */
export function jsonText(root: unknown): string {
  const out: string[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item instanceof Punctuation) {
      out.push(item.text);
    } else if (Array.isArray(item)) {
      out.push("[");
      stack.push(CLOSE_ARRAY);
      for (let i = item.length - 1; i >= 0; i--) {
        // JSON.stringify writes null for holes and undefined in arrays.
        stack.push(item[i] === undefined ? null : item[i]);
        if (i > 0) stack.push(COMMA);
      }
    } else if (typeof item === "object" && item !== null) {
      const entries = Object.entries(item).filter(([, v]) => v !== undefined);
      out.push("{");
      stack.push(CLOSE_OBJECT);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, value] = entries[i]!;
        stack.push(value, new Punctuation(`${JSON.stringify(key)}:`));
        if (i > 0) stack.push(COMMA);
      }
    } else {
      out.push(JSON.stringify(item) ?? "null");
    }
  }
  return out.join("");
}

/** Whether `candidate` should replace `kept` as the version used. */
export function isPreferredVersion(candidate: JsonObject, kept: JsonObject): boolean {
  const time = lastUpdated(candidate) - lastUpdated(kept);
  if (time !== 0 && !Number.isNaN(time)) return time > 0;
  const version = compareVersionIds(asString(asObject(candidate.meta)?.versionId), asString(asObject(kept.meta)?.versionId));
  if (version !== 0) return version > 0;
  return jsonText(candidate) < jsonText(kept);
}
