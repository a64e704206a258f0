/**
 * Reads and searches on the in-memory repository through Medplum's FHIR router, with paging
 * links added. Used both by the HTTP FHIR server (after its token checks) and by the EHR when it
 * fills prefetch, which like a real EHR reads its own database directly.
 */
import { FhirRouter, type MemoryRepository } from "@medplum/fhir-router";
import type { Bundle, OperationOutcome, Resource } from "fhir/r4";
import { normalizePatientParam, type Query } from "./access-control.ts";
import { ensureFhirDefinitions } from "./definitions.ts";
import { addPagingLinks, toSearchParams, withPaging, type PageSize } from "./paging.ts";

export type EngineResult = { status: 200; resource: Resource } | { status: 400 | 404; resource: OperationOutcome };

export interface SearchEngine {
  /** Search one type; `query` is normalized and paged before it runs. */
  search(type: string, query: Query): Promise<EngineResult>;
  read(type: string, id: string): Promise<EngineResult>;
  /** The paging actually applied to a query (needed to check the final query). */
  prepare(query: Query): Query;
}

export function createSearchEngine(repo: MemoryRepository, fhirBaseUrl: string, pageSize: PageSize): SearchEngine {
  ensureFhirDefinitions();
  const engine = new FhirRouter();
  const run = async (url: string): Promise<EngineResult> => {
    const [result, resource] = await engine.handleRequest(
      { method: "GET", url, pathname: "", body: undefined, params: {}, query: {} },
      repo,
    );
    const code = result.issue?.[0]?.code;
    if (code === "informational" && resource) return { status: 200, resource: resource as Resource };
    return { status: code === "not-found" ? 404 : 400, resource: result as OperationOutcome };
  };
  const prepare = (query: Query) => withPaging(normalizePatientParam(query), pageSize);
  return {
    prepare,
    async search(type, query) {
      const paged = prepare(query);
      const result = await run(`${type}?${toSearchParams(paged).toString()}`);
      if (result.status !== 200) return result;
      return { status: 200, resource: addPagingLinks(result.resource as Bundle, `${fhirBaseUrl}/${type}`, paged) };
    },
    read: (type, id) => run(`${type}/${encodeURIComponent(id)}`),
  };
}
