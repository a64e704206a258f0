/**
 * The references of the resources a transaction writes, resolved by FHIR R4's transaction rules
 * (https://hl7.org/fhir/R4/http.html#trules): a `urn:uuid` that is an entry's fullUrl becomes
 * that entry's `Type/id`, and a conditional reference (a search, as Synthea writes
 * `Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999`) becomes the `Type/id` of the one
 * stored resource it finds; a search that finds several refuses the Bundle (412).
 *
 * One departure, so that a Synthea patient loads before (or without) its hospital and
 * practitioner Bundles: a conditional reference to a directory resource (DIRECTORY_TYPES) that
 * matches nothing stored is kept as written, and each entry's response lists the ones it kept.
 * Any other that matches nothing refuses the Bundle: a record must name a patient that exists.
 * Conditional references are searched among what is stored before the transaction, not among
 * the transaction's own entries.
 */
import type { Resource } from "fhir/r4";
import { matchOne } from "./conditional-match.ts";
import type { SearchEngine } from "./search-engine.ts";
import { DIRECTORY_TYPES, isSupportedType } from "./supported-types.ts";
import { Refusal } from "./transaction-refusal.ts";

/** `Type?criteria`: a conditional reference, and a conditional update's url. */
export const CONDITIONAL_URL = /^([A-Z][A-Za-z]+)\?(.+)$/;
const KEPT_WHEN_UNMATCHED: ReadonlySet<string> = new Set(DIRECTORY_TYPES);

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Calls `visit` with every Reference.reference string in `value` and a function that replaces it in place. */
function visitReferences(value: unknown, visit: (reference: string, replace: (next: string) => void) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) visitReferences(item, visit);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, field] of Object.entries(value)) {
    if (key === "reference" && typeof field === "string") visit(field, (next) => (value[key] = next));
    else visitReferences(field, visit);
  }
}

/** A resource the transaction writes, and how messages name its entry. */
export interface ResourceToWrite {
  resource: Resource;
  where: string;
}

export interface ResolvedResource {
  resource: Resource;
  /** Its conditional references to directory resources that matched nothing, kept as written. */
  kept: string[];
}

/** `Type/id` for a conditional reference that matched, null for one kept as written. */
async function resolveConditional(engine: SearchEngine, reference: string, where: string): Promise<string | null> {
  const [, type = "", criteria = ""] = CONDITIONAL_URL.exec(reference) ?? [];
  const subject = `${where}: reference "${reference}"`;
  if (!isSupportedType(type)) throw new Refusal(400, "not-supported", `${subject} names ${type}, a type not served here`);
  const id = await matchOne(engine, type, criteria, subject);
  if (id !== null) return `${type}/${id}`;
  if (KEPT_WHEN_UNMATCHED.has(type)) return null;
  throw new Refusal(400, "invalid", `${subject} matches no ${type}`);
}

/**
 * The resources with their references resolved, in the same order. `fullUrls` maps each
 * `urn:uuid` fullUrl of the Bundle to its entry's `Type/id`; a `urn:uuid` it lacks refuses the Bundle.
 */
export async function resolveReferences(
  toWrite: readonly ResourceToWrite[],
  fullUrls: ReadonlyMap<string, string>,
  engine: SearchEngine,
): Promise<ResolvedResource[]> {
  // Each distinct conditional reference is searched once, however many entries repeat it.
  const conditional = new Map<string, string | null>();
  for (const { resource, where } of toWrite) {
    const pending: string[] = [];
    visitReferences(resource, (reference) => {
      if (reference.startsWith("urn:uuid:") && !fullUrls.has(reference))
        throw new Refusal(400, "invalid", `${where}: reference ${reference} names no entry of the Bundle`);
      if (CONDITIONAL_URL.test(reference) && !conditional.has(reference)) pending.push(reference);
    });
    for (const reference of pending) if (!conditional.has(reference)) conditional.set(reference, await resolveConditional(engine, reference, where));
  }
  return toWrite.map(({ resource }) => {
    const copy = structuredClone(resource);
    const kept = new Set<string>();
    visitReferences(copy, (reference, replace) => {
      const target = fullUrls.get(reference) ?? conditional.get(reference);
      if (target === null) kept.add(reference);
      else if (target !== undefined) replace(target);
    });
    return { resource: copy, kept: [...kept] };
  });
}
