/**
 * Reads and searches over the demo data through Medplum's FHIR router, with paging links added,
 * and the store that a transaction writes into (transaction.ts). Used both by the HTTP FHIR
 * server (after its token checks) and by the EHR when it fills prefetch, which like a real EHR
 * reads its own database directly.
 *
 * Medplum's in-memory repository scans every resource of a type and evaluates FHIRPath for each
 * (its `patient` parameter even resolves references): 3 s for one patient's Conditions among
 * 900. So each patient's compartment also lives in its own small repository, and a search that
 * names one patient runs there, without the now redundant patient filter.
 */
import { FhirRouter, MemoryRepository } from "@medplum/fhir-router";
import type { Resource as MedplumResource } from "@medplum/fhirtypes";
import type { Bundle, OperationOutcome, Resource } from "fhir/r4";
import { isVisibleTo, normalizePatientParam, ownersOf, searchedPatient, type Query, type Viewer } from "./access-control.ts";
import { ensureFhirDefinitions } from "./definitions.ts";
import { outcome } from "./operation-outcome.ts";
import { addPagingLinks, toSearchParams, withPaging, type PageSize } from "./paging.ts";
import { unknownSearchParam } from "./search-params.ts";

export type EngineResult = { status: 200; resource: Resource } | { status: 400 | 404; resource: OperationOutcome };

export interface SearchEngine {
  /** Search one type; `query` is normalized and paged before it runs. With a `viewer` (a
   * patient/ token), a search that names no patient runs over what that viewer sees. */
  search(type: string, query: Query, viewer?: Viewer): Promise<EngineResult>;
  read(type: string, id: string): Promise<EngineResult>;
  /** The patient a resource belongs to (ownersOf: a Provenance through its targets). */
  owner(resource: Resource): string | undefined;
  /** The query as it will run: patient references normalized, paging explicit. */
  prepare(query: Query): Query;
  /** Creates or replaces these resources (with ids) in every repository that holds them. */
  store(resources: readonly Resource[]): Promise<void>;
  /** Every resource held, written ones included (a live list: Bulk Data export reads it). */
  readonly resources: readonly Resource[];
}

/** The query for a search inside one patient's repository: the patient filter is implied
 * (`_id` stays: for a Patient it is the same filter, for any other type it is a filter of its own). */
function withoutPatientFilter(query: Query): Query {
  const { patient: _p, subject: _s, ...rest } = query;
  return rest;
}

export async function createSearchEngine(resources: readonly Resource[], fhirBaseUrl: string, pageSize: PageSize): Promise<SearchEngine> {
  ensureFhirDefinitions();
  const engine = new FhirRouter();
  const all = new MemoryRepository();
  const byPatient = new Map<string, MemoryRepository>();
  const owners = new Map<string, string>();
  const held: Resource[] = [];
  const positions = new Map<string, number>();

  // MemoryRepository.createResource replaces a resource with the same id and keeps the meta it
  // is given (updateResource would drop the versionId the transaction already answered with).
  const put = (repo: MemoryRepository, resource: Resource) => repo.createResource(resource as MedplumResource);
  const store = async (batch: readonly Resource[]) => {
    const batchOwners = ownersOf(batch, owners);
    for (const resource of batch) {
      const key = `${resource.resourceType}/${resource.id}`;
      const before = owners.get(key);
      const owner = batchOwners.get(key);
      await put(all, resource);
      const at = positions.get(key);
      if (at === undefined) positions.set(key, held.push(resource) - 1);
      else held[at] = resource;
      // A resource that changed patient leaves its old patient's repository.
      if (before !== undefined && before !== owner) await byPatient.get(before)?.deleteResource(resource.resourceType, resource.id!);
      if (owner === undefined) {
        owners.delete(key);
        continue;
      }
      owners.set(key, owner);
      let repo = byPatient.get(owner);
      if (!repo) byPatient.set(owner, (repo = new MemoryRepository()));
      await put(repo, resource);
    }
  };
  await store(resources);
  const empty = new MemoryRepository();

  // A shareable type as one patient/ token sees it: its resources of no patient and the
  // patient's own. Built per search, and only when a resource must be hidden: a few Devices.
  const seenBy = async (viewer: Viewer, type: string): Promise<MemoryRepository> => {
    const ofType = held.filter((r) => r.resourceType === type);
    const visible = ofType.filter((r) => isVisibleTo(viewer, type, owners.get(`${type}/${r.id}`)));
    if (visible.length === ofType.length) return all;
    const repo = new MemoryRepository();
    for (const resource of visible) await put(repo, resource);
    return repo;
  };

  const run = async (repo: MemoryRepository, url: string): Promise<EngineResult> => {
    const [result, resource] = await engine.handleRequest({ method: "GET", url, pathname: "", body: undefined, params: {}, query: {} }, repo);
    const code = result.issue?.[0]?.code;
    if (code === "informational" && resource) return { status: 200, resource: resource as Resource };
    return { status: code === "not-found" ? 404 : 400, resource: result as OperationOutcome };
  };
  const prepare = (query: Query) => withPaging(normalizePatientParam(query), pageSize);

  return {
    prepare,
    async search(type, query, viewer) {
      const paged = prepare(query);
      const problem = unknownSearchParam(type, paged);
      if (problem !== undefined) return { status: 400, resource: outcome("invalid", problem) };
      const patient = searchedPatient(type, paged);
      const [repo, effective] =
        patient !== undefined
          ? [byPatient.get(patient) ?? empty, withoutPatientFilter(paged)]
          : [viewer === undefined ? all : await seenBy(viewer, type), paged];
      const result = await run(repo, `${type}?${toSearchParams(effective).toString()}`);
      if (result.status !== 200) return result;
      // Links repeat the query as the client wrote it, patient filter included.
      return { status: 200, resource: addPagingLinks(result.resource as Bundle, `${fhirBaseUrl}/${type}`, paged) };
    },
    read: (type, id) => run(all, `${type}/${encodeURIComponent(id)}`),
    owner: (resource) => owners.get(`${resource.resourceType}/${resource.id}`),
    store,
    resources: held,
  };
}
