/**
 * Outgoing FHIR reads and searches for the fetch fallback: bearer token from
 * fhirAuthorization, a timeout on every request, `next` links followed up to a page limit and
 * only on the fhirServer's own origin and path (the token must never leave for another host).
 */
import type { Resource } from "fhir/r4";
import { fhirBase, resolveOnServer } from "../../shared/fhir-server-url.ts";
import { searchReportsError } from "../../shared/search-outcome.ts";
import { bundleResources, nextLink } from "./classify-prefetch.ts";
import { BodyNotUtf8, BodyTooLarge, readUtf8Body } from "../../shared/read-utf8-body.ts";
import type { PrefetchKeySpec } from "../../shared/risk-record-queries.ts";

export type FetchFailure = "prefetch-failed" | "unauthorized" | "not-found" | "server-error" | "timeout" | "network" | "invalid-response" | "page-limit" | "foreign-link" | "too-large";

export class FhirFetchError extends Error {
  constructor(
    readonly failure: FetchFailure,
    message: string,
  ) {
    super(message);
    this.name = "FhirFetchError";
  }
}

export interface FhirFetcherOptions {
  /** fhirServer from the hook request. */
  baseUrl: string;
  accessToken: string;
  requestTimeoutMs: number;
  pageLimit: number;
  pageSize: number;
  /** Bytes of response bodies read in all, over every request of this fetcher (one hook call). */
  maxResponseBytes: number;
  /** Aborts every request of this hook call (the call's overall budget). */
  signal: AbortSignal;
  fetch?: typeof fetch;
}

export interface FhirFetcher {
  /** The resource, or null when the server says 404/410. */
  read(path: string): Promise<Resource | null>;
  /** All pages of a search (or the rest of one, from a `next` link), bounded by the page limit. */
  search(spec: PrefetchKeySpec, start: { query: string } | { next: string; pagesSeen: number }): Promise<Resource[]>;
}

/**
 * One request's signal: aborted by the hook call's budget or after the request's own timeout,
 * whichever comes first; `done` clears the timer. Not `AbortSignal.any([budget,
 * AbortSignal.timeout(ms)])`: in Node 20 the combined signal holds its sources weakly, so a
 * garbage collection while the request waits can take the timeout signal away before it fires,
 * and a hung FHIR server then holds the call past its limit (nodejs/node#57736; seen in the
 * sandbox: a card after 3.4 s with a 2.5 s budget).
 */
function requestSignal(budget: AbortSignal, timeoutMs: number): { signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  const onBudget = () => controller.abort(budget.reason);
  if (budget.aborted) onBudget();
  else budget.addEventListener("abort", onBudget, { once: true });
  const timer = setTimeout(() => controller.abort(new DOMException("FHIR request timed out", "TimeoutError")), timeoutMs);
  return {
    signal: controller.signal,
    done: () => {
      clearTimeout(timer);
      budget.removeEventListener("abort", onBudget);
    },
  };
}

export function createFhirFetcher(options: FhirFetcherOptions): FhirFetcher {
  const base = fhirBase(options.baseUrl);
  const doFetch = options.fetch ?? fetch;
  const budget = { remaining: options.maxResponseBytes, limit: options.maxResponseBytes };

  const resolveOwn = (url: string): URL => {
    const resolved = resolveOnServer(url, base);
    if (resolved === "not-a-url") throw new FhirFetchError("invalid-response", "link is not a URL");
    if (resolved === "foreign") throw new FhirFetchError("foreign-link", "link points outside fhirServer");
    return resolved;
  };

  const getJson = async (url: URL): Promise<{ status: number; body: unknown }> => {
    const request = requestSignal(options.signal, options.requestTimeoutMs);
    try {
      return await answerOf(url, request.signal);
    } finally {
      request.done();
    }
  };

  /** The status and parsed body of a GET whose request and body read `signal` bounds. */
  const answerOf = async (url: URL, signal: AbortSignal): Promise<{ status: number; body: unknown }> => {
    let response: Response;
    try {
      response = await doFetch(url, {
        headers: { Accept: "application/fhir+json", Authorization: `Bearer ${options.accessToken}` },
        signal,
        redirect: "error",
      });
    } catch (err) {
      const name = (err as Error).name;
      if (name === "TimeoutError" || name === "AbortError") throw new FhirFetchError("timeout", "FHIR request timed out");
      throw new FhirFetchError("network", "FHIR server unreachable");
    }
    if (response.status === 401 || response.status === 403) {
      throw new FhirFetchError("unauthorized", `FHIR server answered ${response.status}`);
    }
    if (response.status === 404 || response.status === 410) return { status: response.status, body: null };
    if (!response.ok) throw new FhirFetchError("server-error", `FHIR server answered ${response.status}`);
    try {
      return { status: response.status, body: JSON.parse(await readUtf8Body(response, budget)) };
    } catch (err) {
      if (err instanceof BodyTooLarge) throw new FhirFetchError("too-large", err.message);
      if (err instanceof BodyNotUtf8) throw new FhirFetchError("invalid-response", err.message);
      const name = (err as Error).name;
      if (name === "TimeoutError" || name === "AbortError") throw new FhirFetchError("timeout", "FHIR request timed out");
      throw new FhirFetchError("invalid-response", "FHIR server sent invalid JSON");
    }
  };

  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

  return {
    async read(path) {
      const { body } = await getJson(resolveOwn(path));
      if (body === null) return null;
      if (!isObject(body) || typeof body.resourceType !== "string") {
        throw new FhirFetchError("invalid-response", "FHIR read did not return a resource");
      }
      return body as unknown as Resource;
    },

    async search(spec, start) {
      let url: URL;
      let pages: number;
      if ("query" in start) {
        url = resolveOwn(start.query);
        url.searchParams.set("_count", String(options.pageSize));
        pages = 0;
      } else {
        url = resolveOwn(start.next);
        pages = start.pagesSeen;
      }
      const resources: Resource[] = [];
      for (;;) {
        if (pages >= options.pageLimit) throw new FhirFetchError("page-limit", `more than ${options.pageLimit} pages`);
        const { body } = await getJson(url);
        pages += 1;
        // A search endpoint that does not exist means the data cannot be had, not "none".
        if (body === null) throw new FhirFetchError("not-found", "FHIR search endpoint not found");
        if (!isObject(body) || body.resourceType !== "Bundle") {
          throw new FhirFetchError("invalid-response", "FHIR search did not return a Bundle");
        }
        if (searchReportsError(body)) throw new FhirFetchError("server-error", "FHIR search reports an error (OperationOutcome entry)");
        try {
          // One by one: push(...page) passes every resource as an argument, and a server that
          // ignores _count can send more than the engine takes (about 120,000 on Node 20).
          for (const resource of bundleResources(body, spec, spec.key)) resources.push(resource);
          const next = nextLink(body, spec.key);
          if (next === undefined) return resources;
          url = resolveOwn(next);
        } catch (err) {
          if (err instanceof FhirFetchError) throw err;
          throw new FhirFetchError("invalid-response", "FHIR search returned a malformed Bundle");
        }
      }
    },
  };
}
