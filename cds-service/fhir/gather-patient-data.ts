/**
 * Collects the patient's data for one hook call: whatever the prefetch holds, plus fetches
 * from fhirServer for keys that are absent, failed, or paged. A required key that cannot be
 * had ends the call with 412 (cds-hooks.hl7.org/2.0, "Prefetch"); an optional one only
 * becomes a caveat, so the card can say what the estimate did without.
 */
import type { Resource } from "fhir/r4";
import type { Logger } from "pino";
import { keepModelInput } from "../../shared/model-input.ts";
import { type ForeignReason, keepPatientResources } from "../../shared/patient-compartment.ts";
import type { CdsConfig } from "../config.ts";
import { fhirBaseKey } from "../../shared/fhir-server-url.ts";
import { HttpError } from "../http/operation-outcome.ts";
import { fillTemplate, type PrefetchKeySpec } from "../../shared/risk-record-queries.ts";
import type { HookRequest } from "../schemas/hook-request.ts";
import { classifyPrefetch, type PrefetchState } from "./classify-prefetch.ts";
import { createFhirFetcher, FhirFetchError, type FhirFetcher } from "./fhir-fetcher.ts";

export interface GatheredData {
  /** The model's input: the resources of the "model-input" keys. */
  resources: Resource[];
  /** The resources of the "card-context" keys (the KL grades), never model input. */
  cardContext: Resource[];
  /** Labels of optional data that could not be had. */
  unavailable: string[];
  /** How each key was satisfied, for the log (no data, only states). */
  sources: Record<string, string>;
  /** Resources dropped because they do not provably belong to the patient in context, by reason. */
  foreignResources: Partial<Record<ForeignReason, number>>;
  /** Resources of "model-input" keys the model does not read (shared/model-input.ts: a server
   * that ignored the query's `code` returns every Observation). */
  notModelInput: number;
}

export interface GatherOptions {
  request: HookRequest;
  patientId: string;
  specs: readonly PrefetchKeySpec[];
  fhir: CdsConfig["fhir"];
  /** The caller's allowed FHIR base URLs (IssuerConfig.fhirServers); undefined allows any. */
  allowedFhirServers?: readonly string[] | undefined;
  logger: Logger;
  fetch?: typeof fetch;
}

function makeFetcher(options: GatherOptions, signal: AbortSignal): FhirFetcher | string {
  const { fhirServer, fhirAuthorization, fhirAuthorizationProblem } = options.request;
  if (fhirAuthorizationProblem !== undefined) return "fhirAuthorization is not usable";
  if (!fhirServer || !fhirAuthorization) return "no fhirServer with fhirAuthorization to fetch from";
  if (!options.fhir.allowHttp && !fhirServer.startsWith("https:")) return "fhirServer is not https";
  // Checked before any request: an EHR (or a stolen JWT) must not point the service, and the
  // access token, at internal hosts.
  if (options.allowedFhirServers && !options.allowedFhirServers.includes(fhirBaseKey(fhirServer))) {
    return "fhirServer is not on this issuer's allow-list";
  }
  return createFhirFetcher({
    baseUrl: fhirServer,
    accessToken: fhirAuthorization.access_token,
    requestTimeoutMs: options.fhir.requestTimeoutMs,
    pageLimit: options.fhir.pageLimit,
    pageSize: options.fhir.pageSize,
    maxResponseBytes: options.fhir.maxResponseBytes,
    signal,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** Why a prefetch key's query failed, as the answer and the log say it. */
const PREFETCH_FAILED: Record<Extract<PrefetchState, { state: "failed" }>["why"], string> = {
  "operation-outcome": "the EHR's prefetch query failed (OperationOutcome)",
  "search-error": "the EHR's prefetch Bundle reports an error with the search (OperationOutcome entry)",
};

async function complete(
  state: PrefetchState,
  spec: PrefetchKeySpec,
  fetcher: FhirFetcher | string,
  patientId: string,
): Promise<Resource[]> {
  if (state.state === "complete") return state.resources;
  if (state.state === "failed") throw new FhirFetchError("prefetch-failed", PREFETCH_FAILED[state.why]);
  if (typeof fetcher === "string") throw new FhirFetchError("network", fetcher);
  const query = fillTemplate(spec.template, patientId);
  if (state.state === "next-page") {
    return [...state.resources, ...(await fetcher.search(spec, { next: state.next, pagesSeen: state.pagesSeen }))];
  }
  if (spec.kind === "read") {
    const resource = await fetcher.read(query);
    if (resource === null) throw new FhirFetchError("not-found", "not found on fhirServer");
    if (resource.resourceType !== spec.resourceTypes[0] || resource.id !== patientId) {
      throw new FhirFetchError("invalid-response", `fhirServer did not return the context ${spec.resourceTypes[0]}`);
    }
    return [resource];
  }
  return fetcher.search(spec, { query });
}

/** Every key classified, or a 400 that says (for the log) how far classification got. */
function classifyAll(options: GatherOptions): PrefetchState[] {
  const { request, patientId, specs } = options;
  const states: PrefetchState[] = [];
  for (const spec of specs) {
    try {
      states.push(classifyPrefetch(request.prefetch?.[spec.key], spec, patientId));
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      const sources = Object.fromEntries(specs.map((s, i) => [s.key, i < states.length ? describeState(states[i]!) : s === spec ? "malformed" : "not read"]));
      throw new HttpError(err.status, err.code, err.message, { sources });
    }
  }
  return states;
}

function describeState(state: PrefetchState): string {
  if (state.state === "complete") return "prefetch";
  if (state.state === "next-page") return "prefetch, more pages";
  return `${state.state === "failed" ? "prefetch failed" : "to fetch"} (${state.why})`;
}

export async function gatherPatientData(options: GatherOptions): Promise<GatheredData> {
  const { request, specs, patientId, logger } = options;
  // Classify first: a malformed prefetch is a 400 before any outgoing call is made.
  const states = classifyAll(options).map((state, i) =>
    // A prefetch-only key is never fetched and never a caveat: what the EHR sent is all of it
    // (the first page of a paged one), and a key it did not fill is empty.
    specs[i]!.prefetchOnly && state.state !== "complete"
      ? { state: "complete" as const, resources: state.state === "next-page" ? state.resources : [] }
      : state,
  );
  const needsFetch = states.some((s) => s.state === "fetch" || s.state === "next-page");
  const fetcher = needsFetch ? makeFetcher(options, AbortSignal.timeout(options.fhir.totalTimeoutMs)) : "no fetch needed";

  const settled = await Promise.allSettled(specs.map((spec, i) => complete(states[i]!, spec, fetcher, patientId)));
  const result: GatheredData = { resources: [], cardContext: [], unavailable: [], sources: {}, foreignResources: {}, notModelInput: 0 };
  const { fhirServer } = options.request;
  const compartment = { patientId, ...(fhirServer ? { fhirBaseUrl: fhirServer } : {}) };
  const missingRequired: string[] = [];
  settled.forEach((outcome, i) => {
    const spec = specs[i]!;
    const state = states[i]!;
    if (outcome.status === "fulfilled") {
      result.sources[spec.key] = state.state === "complete" ? "prefetch" : `fetched (${state.state === "fetch" ? state.why : "next page"})`;
      const { kept, dropped } = keepPatientResources(outcome.value, compartment);
      // Appended one by one: push(...array) passes every resource as an argument, which a server
      // that ignores `code` (every Observation, many pages) can take past the engine's limit.
      if (spec.use === "card-context") for (const resource of kept) result.cardContext.push(resource);
      else {
        const input = keepModelInput(kept);
        for (const resource of input.kept) result.resources.push(resource);
        result.notModelInput += input.notModelInput;
      }
      for (const [reason, count] of Object.entries(dropped)) {
        const key = reason as ForeignReason;
        result.foreignResources[key] = (result.foreignResources[key] ?? 0) + count;
      }
      return;
    }
    const failure = outcome.reason instanceof FhirFetchError ? outcome.reason.message : "unexpected fetch error";
    result.sources[spec.key] = `unavailable: ${failure}`;
    if (spec.required) missingRequired.push(`${spec.key} (${failure})`);
    else result.unavailable.push(spec.label);
    if (!(outcome.reason instanceof FhirFetchError)) logger.error({ err: outcome.reason, key: spec.key }, "fetch failed");
  });
  if (missingRequired.length > 0) {
    throw new HttpError(412, "incomplete", `Required data could not be obtained: ${missingRequired.join("; ")}`, {
      sources: result.sources,
      ...authorizationLog(request),
    });
  }
  return result;
}

/** Why the EHR's token was not used, for the log line (never the token). */
export function authorizationLog(request: HookRequest): { fhirAuthorization?: string } {
  return request.fhirAuthorizationProblem === undefined ? {} : { fhirAuthorization: `not usable: ${request.fhirAuthorizationProblem}` };
}
