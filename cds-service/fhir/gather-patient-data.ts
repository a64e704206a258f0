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
import type { UnreadPart } from "../../shared/unavailable-data.ts";
import type { HookRequest } from "../schemas/hook-request.ts";
import { classifyPrefetch, type PrefetchState } from "./classify-prefetch.ts";
import { createFhirFetcher, FhirFetchError, type FhirFetcher } from "./fhir-fetcher.ts";

export interface GatheredData {
  /** The model's input: the resources of the "model-input" keys. */
  resources: Resource[];
  /** The resources of the "card-context" keys (the KL grades), never model input. */
  cardContext: Resource[];
  /** Optional data that could not be had, in full or beyond a first page. */
  unavailable: UnreadPart[];
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

/**
 * A key's state once the fetcher is known. A fetch-only-alongside key the EHR left out and the
 * service does not fetch is "not-sent" (empty, no caveat, with why for the log); a paged one
 * whose rest cannot be fetched keeps the pages it came with ("first-page-only", with why).
 */
type KeyState = PrefetchState | { state: "not-sent"; why: string } | { state: "first-page-only"; resources: Resource[]; why: string };

/** The rule of a fetch-only-alongside key, as the log says it. */
const ALONGSIDE = "fetched only alongside another key";
/** Why the service is not fetching a fetch-only-alongside key the EHR left out, when it fetches nothing else. */
const NOTHING_ELSE_FETCHED = `${ALONGSIDE}, and none is`;

/**
 * A fetch-only-alongside key's state. Left out by the EHR, it is fetched when the service fetches
 * anyway (`fetcher` usable), else left empty. A failed query and a paged answer are what any
 * other optional key's would be (a caveat, the rest fetched), since dropping them silently would
 * drop the card's caveat they carry (a knee replacement, a KL grade).
 */
function fetchOnlyAlongsideState(state: PrefetchState, fetcher: FhirFetcher | string): KeyState {
  if (state.state === "fetch" && typeof fetcher === "string") return { state: "not-sent", why: fetcher };
  if (state.state === "next-page" && typeof fetcher === "string") return { state: "first-page-only", resources: state.resources, why: fetcher };
  return state;
}

/** How the log says a key the EHR left out and the service did not fetch was had. */
const notPrefetched = (why: string) => `not prefetched, not fetched (${why})`;

/** A key's resources, how they were had (for the log), and whether they are only the first page
 * the EHR sent. */
interface HadKey {
  resources: Resource[];
  source: string;
  firstPageOnly?: boolean;
}

async function complete(state: KeyState, spec: PrefetchKeySpec, fetcher: FhirFetcher | string, patientId: string): Promise<HadKey> {
  if (state.state === "complete") return { resources: state.resources, source: "prefetch" };
  if (state.state === "not-sent") return { resources: [], source: notPrefetched(state.why) };
  if (state.state === "first-page-only") return { resources: state.resources, source: `prefetch, first page only (${state.why})`, firstPageOnly: true };
  if (state.state === "failed") throw new FhirFetchError("prefetch-failed", PREFETCH_FAILED[state.why]);
  if (typeof fetcher === "string") throw new FhirFetchError("network", fetcher);
  if (state.state === "next-page") {
    try {
      const rest = await fetcher.search(spec, { next: state.next, pagesSeen: state.pagesSeen });
      return { resources: [...state.resources, ...rest], source: "fetched (next page)" };
    } catch (err) {
      // The card's context keeps the page it was sent: a knee replacement on it is on record, and
      // the caveat says the rest is not known. The model's input does not: an estimate from part
      // of a key would read as made from all of it.
      if (spec.use !== "card-context" || !(err instanceof FhirFetchError)) throw err;
      return { resources: state.resources, source: `prefetch, first page only (${err.message})`, firstPageOnly: true };
    }
  }
  const fetched = { source: `fetched (${state.why})` };
  const query = fillTemplate(spec.template, patientId);
  if (spec.kind === "read") {
    const resource = await fetcher.read(query);
    if (resource === null) throw new FhirFetchError("not-found", "not found on fhirServer");
    if (resource.resourceType !== spec.resourceTypes[0] || resource.id !== patientId) {
      throw new FhirFetchError("invalid-response", `fhirServer did not return the context ${spec.resourceTypes[0]}`);
    }
    return { resources: [resource], ...fetched };
  }
  return { resources: await fetcher.search(spec, { query }), ...fetched };
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
      const sources = Object.fromEntries(specs.map((s, i) => [s.key, i < states.length ? describeState(states[i]!, s) : s === spec ? "malformed" : "not read"]));
      throw new HttpError(err.status, err.code, err.message, { sources });
    }
  }
  return states;
}

function describeState(state: PrefetchState, spec: PrefetchKeySpec): string {
  if (state.state === "complete") return "prefetch";
  if (state.state === "fetch" && spec.fetchOnlyAlongside) return `not prefetched (${ALONGSIDE})`;
  if (state.state === "next-page") return "prefetch, more pages";
  return `${state.state === "failed" ? "prefetch failed" : "to fetch"} (${state.why})`;
}

export async function gatherPatientData(options: GatherOptions): Promise<GatheredData> {
  const { request, specs, patientId, logger } = options;
  // Classify first: a malformed prefetch is a 400 before any outgoing call is made.
  const classified = classifyAll(options);
  const needsFetch = classified.some((s, i) => s.state === "next-page" || (s.state === "fetch" && !specs[i]!.fetchOnlyAlongside));
  const budget = AbortSignal.timeout(options.fhir.totalTimeoutMs);
  const fetcher = needsFetch ? makeFetcher(options, budget) : NOTHING_ELSE_FETCHED;
  // The card's context keys read with a byte budget of their own (the same time budget): a
  // patient's procedures, searched without a code, must never take the bytes that the model's
  // input, required keys among it, needs.
  const contextFetcher = typeof fetcher === "string" ? fetcher : makeFetcher(options, budget);
  const fetcherOf = (spec: PrefetchKeySpec) => (spec.use === "card-context" ? contextFetcher : fetcher);
  const states = classified.map((state, i): KeyState => (specs[i]!.fetchOnlyAlongside ? fetchOnlyAlongsideState(state, fetcherOf(specs[i]!)) : state));

  const settled = await Promise.allSettled(specs.map((spec, i) => complete(states[i]!, spec, fetcherOf(spec), patientId)));
  const result: GatheredData = { resources: [], cardContext: [], unavailable: [], sources: {}, foreignResources: {}, notModelInput: 0 };
  const { fhirServer } = options.request;
  const compartment = { patientId, ...(fhirServer ? { fhirBaseUrl: fhirServer } : {}) };
  const missingRequired: string[] = [];
  settled.forEach((outcome, i) => {
    const spec = specs[i]!;
    if (outcome.status === "fulfilled") {
      result.sources[spec.key] = outcome.value.source;
      if (outcome.value.firstPageOnly) result.unavailable.push({ query: spec, firstPageOnly: true });
      const { kept, dropped } = keepPatientResources(outcome.value.resources, compartment);
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
    else result.unavailable.push({ query: spec });
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
