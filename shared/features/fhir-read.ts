/**
 * Defensive readers for FHIR JSON. Records come from foreign systems, so a field typed as a
 * string may hold a number, an array may be an object, a coding may be null: every read here
 * checks the shape and answers `undefined` (or an empty list) instead of throwing.
 */
import type { CodeableConcept, Coding } from "fhir/r4";

export type JsonObject = Readonly<Record<string, unknown>>;

const NO_ITEMS: readonly unknown[] = Object.freeze([]);

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A finite number, or undefined. */
export function asNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : NO_ITEMS;
}

/** The first element of a list field, as an object. */
export function firstObject(value: unknown): JsonObject | undefined {
  return asObject(asArray(value)[0]);
}

/**
 * A CodeableConcept reduced to its well-formed codings (string system and code), or undefined
 * when it has none, so value-set matching only ever sees valid shapes. A concept that is
 * already well-formed is returned as it is (no copy: this runs for every coded resource).
 */
export function cleanConcept(value: unknown): CodeableConcept | undefined {
  const codings = asArray(asObject(value)?.coding);
  let valid = 0;
  for (const item of codings) if (isValidCoding(item)) valid += 1;
  if (valid === 0) return undefined;
  if (valid === codings.length) return value as CodeableConcept;
  return { coding: codings.filter(isValidCoding) };
}

function isValidCoding(item: unknown): item is Coding {
  const coding = asObject(item);
  return typeof coding?.code === "string" && coding.code !== "" && typeof coding.system === "string";
}

/**
 * The first code of the concept's codings that is one of `codes` (any system), if any. A plain
 * string is read as the code itself: FHIR STU3 sends Condition.verificationStatus and
 * clinicalStatus as code strings, and some exports still do.
 */
export function findCode(value: unknown, codes: ReadonlySet<string>): string | undefined {
  if (typeof value === "string") return codes.has(value.trim()) ? value.trim() : undefined;
  for (const item of asArray(asObject(value)?.coding)) {
    const code = asString(asObject(item)?.code);
    if (code !== undefined && codes.has(code)) return code;
  }
  return undefined;
}

/** A contained resource of the given type and id. */
export function findContained(resource: JsonObject, type: string, id: string): JsonObject | undefined {
  for (const item of asArray(resource.contained)) {
    const candidate = asObject(item);
    if (candidate?.resourceType === type && candidate.id === id) return candidate;
  }
  return undefined;
}
