/**
 * Reads one prefetch value in each state CDS Hooks 2.0 allows: absent (not fetched), null (no
 * data), an OperationOutcome (the EHR failed to fetch it), a resource, or a searchset Bundle
 * that may be empty or have a `next` page (for the patient too: a search by id is a Bundle).
 * Pure: says what is known and what must be fetched.
 */
import type { Resource } from "fhir/r4";
import { HttpError } from "../http/operation-outcome.ts";
import type { PrefetchKeySpec } from "../../shared/risk-record-queries.ts";
import { searchReportsError } from "../../shared/search-outcome.ts";

export type PrefetchState =
  /** Nothing more to fetch. */
  | { state: "complete"; resources: Resource[] }
  /** Fetch the whole query (absent key, or no patient where one must be). */
  | { state: "fetch"; why: "absent" | "null-read" | "empty-bundle" }
  /**
   * The EHR ran the query and it failed (it sent an OperationOutcome, or a Bundle whose outcome
   * entry reports an error: shared/search-outcome.ts): not fetched again, the same query would
   * most likely fail the same way and only add latency.
   */
  | { state: "failed"; why: "operation-outcome" | "search-error" }
  /** Some pages are in hand; the rest starts at `next`. */
  | { state: "next-page"; resources: Resource[]; next: string; pagesSeen: number };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

type JsonResource = Json & { resourceType: string; id?: unknown };

function isResource(value: unknown): value is JsonResource {
  return isObject(value) && typeof value.resourceType === "string" && value.resourceType.length > 0;
}

/** A resourceType to repeat in an answer and the log: a type name, or nothing the caller wrote. */
function typeName(value: JsonResource): string {
  return /^[A-Z][A-Za-z]{0,63}$/.test(value.resourceType) ? value.resourceType : "an unknown resourceType";
}

/** Past the structural checks, the feature builder takes over validating content. */
const asResource = (value: JsonResource): Resource => value as unknown as Resource;

/** The entries of a search Bundle that are resources of the wanted types (outcomes dropped). */
export function bundleResources(bundle: Json, spec: PrefetchKeySpec, where: string): Resource[] {
  const entries = bundle.entry ?? [];
  if (!Array.isArray(entries)) throw new HttpError(400, "structure", `${where}: Bundle.entry must be an array`);
  const resources: Resource[] = [];
  entries.forEach((entry: unknown, i) => {
    if (!isObject(entry)) throw new HttpError(400, "structure", `${where}: Bundle.entry[${i}] must be an object`);
    const resource = entry.resource;
    if (resource === undefined) return;
    if (!isResource(resource)) {
      throw new HttpError(400, "structure", `${where}: Bundle.entry[${i}].resource has no resourceType`);
    }
    if (spec.resourceTypes.includes(resource.resourceType)) resources.push(asResource(resource));
  });
  return resources;
}

/** The `next` link of a Bundle, if any. */
export function nextLink(bundle: Json, where: string): string | undefined {
  const links = bundle.link ?? [];
  if (!Array.isArray(links)) throw new HttpError(400, "structure", `${where}: Bundle.link must be an array`);
  const next = links.find((l: unknown) => isObject(l) && l.relation === "next");
  if (next === undefined) return undefined;
  if (typeof next.url !== "string" || next.url === "") {
    throw new HttpError(400, "structure", `${where}: Bundle next link has no url`);
  }
  return next.url;
}

/** The context patient, sent as the resource itself or as a search Bundle holding it. */
function classifyRead(value: JsonResource, spec: PrefetchKeySpec, patientId: string, where: string): PrefetchState {
  const type = spec.resourceTypes[0];
  let resource: JsonResource = value;
  if (value.resourceType === "Bundle") {
    const found = bundleResources(value, spec, where) as unknown as JsonResource[];
    if (found.length === 0) return { state: "fetch", why: "empty-bundle" };
    if (found.some((r) => r.id !== undefined && r.id !== patientId)) {
      throw new HttpError(400, "invalid", `${where} holds a ${type} that is not the context patient`);
    }
    resource = found[0]!;
  } else if (value.resourceType !== type) {
    throw new HttpError(400, "invalid", `${where} must be a ${type} or a Bundle, got ${typeName(value)}`);
  } else if (resource.id !== undefined && resource.id !== patientId) {
    throw new HttpError(400, "invalid", `${where} is not the context patient`);
  }
  // Prefetched reads may come without an id; the template says whose record it is.
  return { state: "complete", resources: [asResource({ ...resource, id: patientId })] };
}

export function classifyPrefetch(value: unknown, spec: PrefetchKeySpec, patientId: string): PrefetchState {
  const where = `prefetch.${spec.key}`;
  if (value === undefined) return { state: "fetch", why: "absent" };
  // null means "no data"; for the context patient itself that cannot be true, so it is fetched.
  if (value === null) return spec.kind === "read" ? { state: "fetch", why: "null-read" } : { state: "complete", resources: [] };
  if (!isResource(value)) throw new HttpError(400, "structure", `${where} must be null, a resource or a Bundle`);
  if (value.resourceType === "OperationOutcome") return { state: "failed", why: "operation-outcome" };
  if (value.resourceType === "Bundle" && searchReportsError(value)) return { state: "failed", why: "search-error" };
  if (spec.kind === "read") return classifyRead(value, spec, patientId, where);

  if (value.resourceType !== "Bundle") {
    // A bare resource where a search was expected: accept it as a one-result search.
    return { state: "complete", resources: spec.resourceTypes.includes(value.resourceType) ? [asResource(value)] : [] };
  }
  const resources = bundleResources(value, spec, where);
  const next = nextLink(value, where);
  return next === undefined ? { state: "complete", resources } : { state: "next-page", resources, next, pagesSeen: 1 };
}
