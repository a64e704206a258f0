/**
 * Whether a page of search results says that the search went wrong: an entry holding an
 * OperationOutcome (search mode "outcome") with an issue of severity `error` or `fatal`.
 *
 * FHIR's search-entry-mode value set gives outcome entries for information and warnings about
 * the search; a failed search is meant to be an HTTP error instead (docs/standards.md). A server
 * that answers 200 with results and an error beside them has given part of an answer, and a
 * record read from it looks whole: a risk computed without the diagnoses it left out looks like
 * any other. So every reader (the CDS service's prefetch and fetch, the SMART app) treats such a
 * page as a failed query. Warnings and information (a search parameter ignored, no matches) are
 * not failures.
 */

const FAILING_SEVERITIES = new Set(["error", "fatal"]);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Whether an OperationOutcome has an issue of severity error or fatal. */
function reportsError(resource: Record<string, unknown>): boolean {
  return Array.isArray(resource.issue) && resource.issue.some((issue: unknown) => isObject(issue) && FAILING_SEVERITIES.has(issue.severity as string));
}

/** Whether `bundle`'s entries hold an OperationOutcome reporting an error (see above). */
export function searchReportsError(bundle: unknown): boolean {
  if (!isObject(bundle) || !Array.isArray(bundle.entry)) return false;
  return bundle.entry.some((entry: unknown) => isObject(entry) && isObject(entry.resource) && entry.resource.resourceType === "OperationOutcome" && reportsError(entry.resource));
}
