/**
 * The Bulk Data complete-status body (the manifest), checked before anything is downloaded or
 * saved, and the one rule for where the bearer token may go.
 *
 * The token is the FHIR server's (SMART Backend Services): it goes to the FHIR server's origin
 * (scheme, host and port) and nowhere else. A manifest that needs the token
 * (`requiresAccessToken` true, or absent: the IG requires the field) for a file on another
 * origin, or a status URL on another origin, is refused before any request is sent there: a
 * hostile or misconfigured server would otherwise collect a token that reads every patient.
 * Files with `requiresAccessToken: false` (pre-signed object-store URLs) are fetched without it.
 * fetchWithToken (backend-services-token.ts) applies the same rule (assertFhirOrigin) to every
 * request it sends, whoever calls it.
 */

export interface ManifestFile {
  type: string;
  /** Absolute (relative URLs are read against the status URL). */
  url: string;
}

export interface Manifest {
  transactionTime: string;
  requiresAccessToken: boolean;
  /** Each URL once: a URL listed twice would be read twice, and every resource in it too. */
  output: ManifestFile[];
  /** OperationOutcome NDJSON files: what the server could not export. */
  error: ManifestFile[];
  /** Listed in the manifest twice or more (kept once in `output`). */
  duplicateUrls: number;
  /**
   * Files of deleted resources (NDJSON of transaction Bundles whose entries are DELETE requests,
   * `request.url` = `Type/id`), which the IG has a server list for a `_since` export and lets it
   * list otherwise. Only their URLs are checked here: what matters in them is the references,
   * read by bulk-export.ts, not their `type` (the IG says "Bundle"; a missing one is taken as that).
   */
  deleted: ManifestFile[];
}

/** A FHIR instant: seconds and a zone are required. */
const FHIR_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Fails unless `url` is on the FHIR server's origin; `what` names it, the message says why. */
export function assertFhirOrigin(url: URL, fhirOrigin: string, what: string): void {
  if (url.origin !== fhirOrigin) {
    throw new Error(`${what} is on ${url.origin}, not the FHIR server (${fhirOrigin}): the access token is not sent there`);
  }
}

/** `reference` read against `base`, when it is an http(s) URL; null otherwise. */
export function httpUrl(reference: string, base: string): URL | null {
  let url: URL;
  try {
    url = new URL(reference, base);
  } catch {
    return null;
  }
  return url.protocol === "https:" || url.protocol === "http:" ? url : null;
}

/**
 * The manifest in `body`, or an error naming the first field that is wrong. Messages name
 * fields, never the server's values: a file URL may carry a signature or a patient's id.
 */
export function parseManifest(body: unknown, statusUrl: string, fhirOrigin: string): Manifest {
  const invalid = (why: string) => new Error(`export status: the manifest is not valid: ${why}`);
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalid("not a JSON object");
  const fields = body as Record<string, unknown>;
  const { transactionTime } = fields;
  if (typeof transactionTime !== "string" || !FHIR_INSTANT.test(transactionTime) || Number.isNaN(Date.parse(transactionTime))) {
    throw invalid("transactionTime is not a FHIR instant");
  }
  const requiresAccessToken = fields.requiresAccessToken !== false;
  const listed = (name: "output" | "error" | "deleted", required: boolean, typeOf = (type: unknown) => type): ManifestFile[] => {
    const items = fields[name];
    if (items === undefined && !required) return [];
    if (!Array.isArray(items)) throw invalid(`${name} is not an array`);
    return items.map((item: unknown, index) => {
      const where = `${name}[${index}]`;
      const entry = (typeof item === "object" && item !== null ? item : {}) as Record<string, unknown>;
      const { url } = entry;
      const type = typeOf(entry.type);
      if (typeof type !== "string" || type === "") throw invalid(`${where}.type is not a resource type`);
      const absolute = typeof url === "string" ? httpUrl(url, statusUrl) : null;
      if (absolute === null) throw invalid(`${where}.url is not an http(s) URL`);
      if (requiresAccessToken) assertFhirOrigin(absolute, fhirOrigin, `${where}.url, which needs the access token,`);
      return { type, url: absolute.href };
    });
  };
  const output = listed("output", true);
  const unique = [...new Map(output.map((file) => [file.url, file])).values()];
  return {
    transactionTime,
    requiresAccessToken,
    output: unique,
    error: listed("error", false),
    duplicateUrls: output.length - unique.length,
    deleted: listed("deleted", false, (type) => (typeof type === "string" && type !== "" ? type : "Bundle")),
  };
}
