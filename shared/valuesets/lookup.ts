/**
 * The compiled lookup: per code system, normalized code -> bit mask of the value sets it
 * belongs to. Built once from the tables; a coding costs one Map lookup (exact systems) or one
 * per possible prefix length (at most 5 for ICD-10-CM).
 */
import type { CodeableConcept, Coding } from "fhir/r4";
import { codeSystemOf, PREFIX_SYSTEMS, type CodeSystemKey } from "./systems.ts";
import type { ValueSet } from "./types.ts";

const DOTTED_SYSTEMS: ReadonlySet<CodeSystemKey> = new Set(["icd10cm", "icd9cm"]);

/** Shortest prefix any prefix rule may use (ICD categories and ATC groups have 3 characters). */
const MIN_PREFIX = 3;

function normalizeCode(system: CodeSystemKey, code: string): string {
  const trimmed = code.trim();
  if (DOTTED_SYSTEMS.has(system)) return trimmed.replace(/\./g, "").toUpperCase();
  return system === "atc" ? trimmed.toUpperCase() : trimmed;
}

/** Expands a normalized ICD range such as "H00-H59" or "Z6825-Z6845" into its categories. */
function expandRange(range: string): string[] {
  const [from = "", to = ""] = range.split("-");
  let head = 0;
  while (head < from.length && from[head] === to[head]) head++;
  const a = from.slice(head);
  const b = to.slice(head);
  if (from.length !== to.length || !/^\d+$/.test(a) || !/^\d+$/.test(b) || Number(a) > Number(b)) {
    throw new Error(`valuesets: malformed code range "${range}"`);
  }
  const out: string[] = [];
  for (let n = Number(a); n <= Number(b); n++) out.push(from.slice(0, head) + String(n).padStart(a.length, "0"));
  return out;
}

export type SystemMaps = ReadonlyMap<CodeSystemKey, ReadonlyMap<string, number>>;

/** Builds one lookup for the given value sets; set i contributes bit i. Throws on a bad table. */
export function buildLookup(sets: readonly ValueSet<string>[]): SystemMaps {
  if (sets.length > 30) throw new Error("valuesets: more sets than bits in a mask");
  const maps = new Map<CodeSystemKey, Map<string, number>>();
  sets.forEach((set, bit) => {
    for (const entry of set.codes) {
      if (entry.match !== "exact" && !PREFIX_SYSTEMS.has(entry.system)) {
        throw new Error(`valuesets: ${entry.system} code ${entry.code} in ${set.id} must be exact`);
      }
      const normalized = normalizeCode(entry.system, entry.code);
      const keys = entry.match === "range" ? expandRange(normalized) : [normalized];
      if (entry.match !== "exact" && keys.some((key) => key.length < MIN_PREFIX)) {
        throw new Error(`valuesets: prefix ${entry.code} in ${set.id} is shorter than ${MIN_PREFIX}`);
      }
      let map = maps.get(entry.system);
      if (!map) maps.set(entry.system, (map = new Map()));
      for (const key of keys) map.set(key, (map.get(key) ?? 0) | (1 << bit));
    }
  });
  return maps;
}

/** The OR of the masks of every table code that matches the coding (0 when none does). */
export function lookupMask(maps: SystemMaps, coding: Coding): number {
  if (typeof coding.code !== "string" || typeof coding.system !== "string") return 0;
  const system = codeSystemOf(coding.system);
  const map = system === undefined ? undefined : maps.get(system);
  if (system === undefined || map === undefined) return 0;
  const code = normalizeCode(system, coding.code);
  if (!PREFIX_SYSTEMS.has(system)) return map.get(code) ?? 0;
  let mask = 0;
  for (let len = MIN_PREFIX; len <= code.length; len++) mask |= map.get(code.slice(0, len)) ?? 0;
  return mask;
}

/** A test of whether any coding of a concept is in `set` (for the tables that feed no channel:
 * one set, one yes or no). */
export function conceptInSet(set: ValueSet<string>): (concept: CodeableConcept | undefined) => boolean {
  const maps = buildLookup([set]);
  return (concept) => {
    const codings = Array.isArray(concept?.coding) ? concept.coding : [];
    return codings.some((coding) => typeof coding?.code === "string" && lookupMask(maps, coding) !== 0);
  };
}
