/**
 * Strict search-parameter handling: Medplum's in-memory engine answers an unknown parameter or
 * modifier with an empty result, which a client would take for "no data". The sandbox refuses
 * them instead (FHIR's `handling=strict`), so a wrong query is found at once.
 */
import { getSearchParameters } from "@medplum/core";
import type { Query } from "./access-control.ts";

/** Result parameters the engine understands for every type. */
const RESULT_PARAMS = new Set(["_count", "_offset", "_sort", "_total", "_summary", "_elements", "_include", "_revinclude", "_format"]);
const MODIFIERS = new Set(["missing", "exact", "contains", "not", "text", "in", "not-in", "below", "above", "identifier", "of-type"]);

/** A problem with the query in words, or undefined when every parameter is known. */
export function unknownSearchParam(type: string, query: Query): string | undefined {
  const known = getSearchParameters(type) ?? {};
  for (const [key, value] of Object.entries(query)) {
    if (RESULT_PARAMS.has(key)) continue;
    const [name = "", modifier] = key.split(":", 2);
    if (!(name in known)) return `unknown search parameter "${name}" for ${type}`;
    if (modifier !== undefined && !MODIFIERS.has(modifier) && !/^[A-Z][A-Za-z]+$/.test(modifier))
      return `unknown modifier ":${modifier}" on "${name}"`;
    if (value === undefined) return `search parameter "${key}" has no value`;
  }
  for (const field of String(query._sort ?? "").split(",").filter(Boolean)) {
    const name = field.replace(/^-/, "");
    if (!(name in known)) return `cannot sort ${type} by unknown parameter "${name}"`;
  }
  return undefined;
}
