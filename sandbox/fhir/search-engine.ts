/**
 * Reads and searches over the demo data through Medplum's FHIR router, with paging links added.
 * Used both by the HTTP FHIR server (after its token checks) and by the EHR when it fills
 * prefetch, which like a real EHR reads its own database directly.
 *
 * Medplum's in-memory repository scans every resource of a type and evaluates FHIRPath for each
 * (its `patient` parameter even resolves references): 3 s for one patient's Conditions among
 * 900. So each patient's compartment also lives in its own small repository, and a search that
 * names one patient runs there, without the now redundant patient filter.
 */
import { FhirRouter, MemoryRepository } from "@medplum/fhir-router";
import type { Resource as MedplumResource } from "@medplum/fhirtypes";
import type { Bundle, OperationOutcome, Resource } from "fhir/r4";
import { normalizePatientParam, ownersOf, searchedPatient, type Query } from "./access-control.ts";
import { ensureFhirDefinitions } from "./definitions.ts";
import { outcome } from "./operation-outcome.ts";
import { addPagingLinks, toSearchParams, withPaging, type PageSize } from "./paging.ts";
import { unknownSearchParam } from "./search-params.ts";

export type EngineResult = { status: 200; resource: Resource } | { status: 400 | 404; resource: OperationOutcome };

export interface SearchEngine {
  /** Search one type; `query` is normalized and paged before it runs. */
  search(type: string, query: Query): Promise<EngineResult>;
  read(type: string, id: string): Promise<EngineResult>;
  /** The patient a resource belongs to (ownersOf: a Provenance through its targets). */
  owner(resource: Resource): string | undefined;
  /** The query as it will run: patient references normalized, paging explicit. */
  prepare(query: Query): Query;
}

/** The query for a search inside one patient's repository: the patient filter is implied. */
function withoutPatientFilter(type: string, query: Query): Query {
  const { patient: _p, subject: _s, _id, ...rest } = query;
  return type === "Patient" ? { ...rest, _id } : rest;
}

export async function createSearchEngine(resources: readonly Resource[], fhirBaseUrl: string, pageSize: PageSize): Promise<SearchEngine> {
  ensureFhirDefinitions();
  const engine = new FhirRouter();
  const all = new MemoryRepository();
  const byPatient = new Map<string, MemoryRepository>();
  const owners = ownersOf(resources);
  for (const resource of resources) {
    await all.createResource(resource as MedplumResource);
    const owner = owners.get(`${resource.resourceType}/${resource.id}`);
    if (owner === undefined) continue;
    let repo = byPatient.get(owner);
    if (!repo) byPatient.set(owner, (repo = new MemoryRepository()));
    await repo.createResource(resource as MedplumResource);
  }
  const empty = new MemoryRepository();

  const run = async (repo: MemoryRepository, url: string): Promise<EngineResult> => {
    const [result, resource] = await engine.handleRequest({ method: "GET", url, pathname: "", body: undefined, params: {}, query: {} }, repo);
    const code = result.issue?.[0]?.code;
    if (code === "informational" && resource) return { status: 200, resource: resource as Resource };
    return { status: code === "not-found" ? 404 : 400, resource: result as OperationOutcome };
  };
  const prepare = (query: Query) => withPaging(normalizePatientParam(query), pageSize);

  return {
    prepare,
    async search(type, query) {
      const paged = prepare(query);
      const problem = unknownSearchParam(type, paged);
      if (problem !== undefined) return { status: 400, resource: outcome("invalid", problem) };
      const patient = searchedPatient(type, paged);
      const [repo, effective] =
        patient === undefined ? [all, paged] : [byPatient.get(patient) ?? empty, withoutPatientFilter(type, paged)];
      const result = await run(repo, `${type}?${toSearchParams(effective).toString()}`);
      if (result.status !== 200) return result;
      // Links repeat the query as the client wrote it, patient filter included.
      return { status: 200, resource: addPagingLinks(result.resource as Bundle, `${fhirBaseUrl}/${type}`, paged) };
    },
    read: (type, id) => run(all, `${type}/${encodeURIComponent(id)}`),
    owner: (resource) => owners.get(`${resource.resourceType}/${resource.id}`),
  };
}
