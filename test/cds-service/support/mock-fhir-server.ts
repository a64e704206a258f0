/**
 * An EHR FHIR server for the fetch fallback, as msw handlers: reads and paged searches over a
 * fixed set of resources, bearer-token check, and per-type failures (status codes, delays).
 * Records each request's path and query so tests can say what was fetched.
 */
import type { Resource } from "fhir/r4";
import { delay, http, HttpResponse, type RequestHandler } from "msw";
import { searchset } from "./hook-requests.ts";
import { FHIR_BASE } from "./test-service.ts";

export interface FhirFailure {
  status?: number;
  delayMs?: number;
}

export interface MockFhirOptions {
  resources: readonly Resource[];
  accessToken?: string;
  /** Page size when the client sends no _count. */
  pageSize?: number;
  /** Failures by resource type (e.g. { Condition: { status: 500 } }). */
  failures?: Record<string, FhirFailure>;
  /** Rewrites a next link (to test links that leave the server). */
  rewriteNext?: (url: string) => string;
}

export interface MockFhirServer {
  handlers: RequestHandler[];
  /** "Condition?patient=p1&_count=50" etc., in arrival order. */
  requests: string[];
}

export function mockFhirServer(options: MockFhirOptions): MockFhirServer {
  const requests: string[] = [];
  const token = options.accessToken ?? "ehr-access-token";
  const outcome = (status: number, code: string) =>
    HttpResponse.json({ resourceType: "OperationOutcome", issue: [{ severity: "error", code }] }, { status });

  const failIfAsked = async (type: string) => {
    const failure = options.failures?.[type];
    if (failure?.delayMs) await delay(failure.delayMs);
    if (failure?.status) return outcome(failure.status, "exception");
    return undefined;
  };

  const handler = http.get(`${FHIR_BASE}/:type/:id?`, async ({ request, params }) => {
    const url = new URL(request.url);
    const type = String(params.type);
    requests.push(`${type}${params.id ? `/${params.id}` : ""}${url.search}`);
    if (request.headers.get("authorization") !== `Bearer ${token}`) return outcome(401, "login");
    const failed = await failIfAsked(type);
    if (failed) return failed;
    const ofType = options.resources.filter((r) => r.resourceType === type);
    if (params.id) {
      const found = ofType.find((r) => r.id === params.id);
      return found ? HttpResponse.json(found) : outcome(404, "not-found");
    }
    const count = Number(url.searchParams.get("_count") ?? options.pageSize ?? 2);
    const offset = Number(url.searchParams.get("_offset") ?? 0);
    const page = ofType.slice(offset, offset + count);
    let next: string | undefined;
    if (offset + count < ofType.length) {
      const nextUrl = new URL(url);
      nextUrl.searchParams.set("_offset", String(offset + count));
      next = options.rewriteNext ? options.rewriteNext(nextUrl.toString()) : nextUrl.toString();
    }
    return HttpResponse.json(searchset(page, next));
  });
  return { handlers: [handler], requests };
}
