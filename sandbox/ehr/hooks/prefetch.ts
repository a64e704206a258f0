/**
 * Prefetch as an EHR fills it: each template's `{{context.x}}` and `{{userPractitionerId}}`
 * tokens are replaced, the query runs against the EHR's own data, and a key whose query finds
 * nothing is sent as null (CDS Hooks 2.0: null means "no data", absence means "not fetched").
 */
import type { Bundle, Resource } from "fhir/r4";
import type { Query } from "../../fhir/access-control.ts";
import type { SearchEngine } from "../../fhir/search-engine.ts";

export type HookContext = Record<string, string>;

export interface PrefetchUser {
  /** e.g. "Practitioner/123" */
  userId: string;
}

const TOKEN = /\{\{\s*([A-Za-z.]+)\s*\}\}/g;

/** Replaces the template tokens; undefined when a token cannot be filled. */
export function fillTemplate(template: string, context: HookContext, user: PrefetchUser): string | undefined {
  let unknown = false;
  const [userType, userRef] = user.userId.split("/");
  const filled = template.replace(TOKEN, (_m, name: string) => {
    let value: string | undefined;
    if (name.startsWith("context.")) value = context[name.slice("context.".length)];
    else if (name === `user${userType}Id`) value = userRef;
    if (value === undefined) unknown = true;
    return encodeURIComponent(value ?? "");
  });
  return unknown ? undefined : filled;
}

function queryOf(search: string): Query {
  const query: Query = {};
  for (const [key, value] of new URLSearchParams(search)) {
    const prev = query[key];
    query[key] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  return query;
}

/** Runs one filled prefetch query (`Type?params` or `Type/id`) against the EHR's data. */
async function runQuery(engine: SearchEngine, relativeUrl: string): Promise<Resource | null> {
  const [path = "", search = ""] = relativeUrl.split("?", 2);
  const [type = "", id] = path.split("/");
  const result = id !== undefined ? await engine.read(type, decodeURIComponent(id)) : await engine.search(type, queryOf(search));
  if (result.status !== 200) return result.status === 404 ? null : result.resource;
  const bundle = result.resource as Bundle;
  if (bundle.resourceType === "Bundle" && (bundle.entry ?? []).length === 0) return null;
  return result.resource;
}

/** The prefetch object for a service's templates; keys whose template cannot be filled are
 * left out, so the service fetches them itself. */
export async function buildPrefetch(
  templates: Record<string, string>,
  context: HookContext,
  user: PrefetchUser,
  engine: SearchEngine,
): Promise<Record<string, Resource | null>> {
  const prefetch: Record<string, Resource | null> = {};
  for (const [key, template] of Object.entries(templates)) {
    const url = fillTemplate(template, context, user);
    if (url !== undefined) prefetch[key] = await runQuery(engine, url);
  }
  return prefetch;
}
