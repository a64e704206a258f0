/**
 * What an export's `deleted` files list, counted: the Bulk Data IG (v2, "Response - Complete
 * Status", field `deleted`) has each line a transaction Bundle whose entries each have
 * `request.method` DELETE and `request.url` populated. Only those two are read; nothing of the
 * Bundle is checked as a resource. A line or an entry not of that form is counted as unreadable,
 * by a fixed reason (never a URL: it names a patient's resource), not an error: the job applies
 * nothing of these files (bulk-export.ts, downloadDeleted), so they cannot change the data.
 */
import { fhirBaseKey } from "../../shared/fhir-server-url.ts";
import { readNdjsonByteLines } from "../ndjson-byte-lines.ts";
import { parseJson } from "./parse-json.ts";

/** A relative `Type/id` (FHIR's id: 1-64 of these characters). */
const RELATIVE_REFERENCE = /^([A-Z][A-Za-z]{0,63})\/[A-Za-z0-9\-.]{1,64}$/;
/** `BASE/Type/id`, without query or fragment: the IG (v2, "Bulk Data Kick-off Request") lets the
 * export's references be relative `Type/id` or absolute URLs "with the same structure rooted in the
 * base URL for the server from which the export was performed". */
const ABSOLUTE_REFERENCE = /^(https?:\/\/[^?#]+)\/([A-Z][A-Za-z]{0,63}\/[A-Za-z0-9\-.]{1,64})$/;

const UNREADABLE = {
  line: "line not a Bundle with entries",
  entry: "entry not a DELETE request",
  url: "request.url not Type/id, relative or absolute",
  elsewhere: "request.url on another server than the FHIR server's base",
} as const;

export interface DeletedCount {
  resources: number;
  byType: Record<string, number>;
  unreadable: number;
  unreadableByReason: Record<string, number>;
}

/** `url` in fhirBaseKey's one spelling (host case, default port, trailing slash), or null when it does not parse. */
function baseKey(url: string): string | null {
  try {
    return fhirBaseKey(url);
  } catch {
    return null;
  }
}

/** The type a DELETE's `request.url` names, or why it names none; `serverBase` is the FHIR
 * server's base in baseKey's spelling. */
function deletedType(url: string, serverBase: string | null): { type: string } | { unreadable: string } {
  const relative = RELATIVE_REFERENCE.exec(url);
  if (relative !== null) return { type: relative[1]! };
  const absolute = ABSOLUTE_REFERENCE.exec(url);
  if (absolute === null) return { unreadable: UNREADABLE.url };
  // A resource of another server was not in this export: deleting it says nothing of this data.
  const onServer = serverBase !== null && baseKey(absolute[1]!) === serverBase;
  return onServer ? deletedType(absolute[2]!, serverBase) : { unreadable: UNREADABLE.elsewhere };
}

/** The deletions the NDJSON `files` list, by type, and what could not be read, by reason. */
export async function countDeletions(files: readonly string[], fhirBaseUrl: string): Promise<DeletedCount> {
  const count: DeletedCount = { resources: 0, byType: {}, unreadable: 0, unreadableByReason: {} };
  const serverBase = baseKey(fhirBaseUrl);
  const unreadable = (reason: string) => {
    count.unreadable++;
    count.unreadableByReason[reason] = (count.unreadableByReason[reason] ?? 0) + 1;
  };
  const entry = (item: unknown) => {
    const { method, url } = ((item as { request?: unknown } | null)?.request ?? {}) as { method?: unknown; url?: unknown };
    if (method !== "DELETE") return unreadable(UNREADABLE.entry);
    if (typeof url !== "string") return unreadable(UNREADABLE.url);
    const named = deletedType(url, serverBase);
    if ("unreadable" in named) return unreadable(named.unreadable);
    count.resources++;
    count.byType[named.type] = (count.byType[named.type] ?? 0) + 1;
  };
  for (const file of files) {
    for await (const { bytes } of readNdjsonByteLines(file)) {
      const bundle = bytes === null ? null : (parseJson(bytes.toString("utf8"), "a deleted-resource line", null) as { resourceType?: unknown; entry?: unknown } | null);
      if (bundle?.resourceType !== "Bundle" || !Array.isArray(bundle.entry)) unreadable(UNREADABLE.line);
      else for (const item of bundle.entry as unknown[]) entry(item);
    }
  }
  return count;
}
