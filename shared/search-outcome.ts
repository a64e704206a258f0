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
import { asArray, asObject, asString, type JsonObject } from "./features/fhir-read.ts";

const FAILING_SEVERITIES = new Set(["error", "fatal"]);

/** Whether an OperationOutcome has an issue of severity error or fatal. */
function reportsError(outcome: JsonObject): boolean {
  return asArray(outcome.issue).some((issue) => FAILING_SEVERITIES.has(asString(asObject(issue)?.severity) ?? ""));
}

/** Whether `bundle`'s entries hold an OperationOutcome reporting an error (see above). */
export function searchReportsError(bundle: unknown): boolean {
  return asArray(asObject(bundle)?.entry).some((entry) => {
    const resource = asObject(asObject(entry)?.resource);
    return resource?.resourceType === "OperationOutcome" && reportsError(resource);
  });
}
