/**
 * Loads the patient's record query by query (record-queries.ts), following every page of each
 * search. Each query ends in its own state, so one type that fails or is not granted is said in
 * its own place while the rest of the record is used: partial data is normal in an EHR.
 * Resources that do not provably belong to the patient in context are dropped by the shared
 * patient-compartment rule and counted; so are the resources of the risk's queries that the model
 * does not read (the shared model-input rule: a server that ignores `code` returns every
 * Observation).
 *
 * A 401 is the exception: the FHIR server no longer takes the session's token (expired or
 * revoked), so no query can succeed. So is the authorization server's refusal to renew an
 * expired token (fhir-read.ts, RefreshRefusedError), which fhirclient answers by dropping only
 * the refresh token. Either way the stored session is cleared and the whole read fails with
 * SessionLostError, which the app shows as its one relaunch page.
 */
import type { Resource } from "fhir/r4";
import { scopeGrant } from "../smart/granted-scopes.ts";
import { clearSmartSession, SessionLostError } from "../smart/session.ts";
import { keepModelInput } from "../../shared/model-input.ts";
import { keepPatientResources } from "../../shared/patient-compartment.ts";
import { FhirAnswerError, type FhirClient, FhirHttpError, type QueryAllowance, queryAllowance, READ_LIMITS, type ReadLimits, readResource, RefreshRefusedError, searchAll } from "./fhir-read.ts";
import { queryUrl, RECORD_QUERIES, type RecordQuery } from "./record-queries.ts";

export type QueryOutcome =
  | {
      status: "loaded";
      resources: Resource[];
      /** Dropped as not provably this patient's, by reason. */
      dropped: Record<string, number>;
      /** Set aside as not model input (a "model-input" query only). */
      notModelInput: number;
      /** The type was granted only in part (granular scopes): the restrictions it was read within. */
      partial?: string[];
    }
  | { status: "not-granted" }
  | { status: "failed"; message: string };

export interface LoadedQuery {
  query: RecordQuery;
  outcome: QueryOutcome;
}

export interface LoadedRecord {
  patientId: string;
  queries: LoadedQuery[];
}

/** The HTTP status of the reader's FhirHttpError, or of fhirclient's HttpError when the token endpoint is down. */
const httpStatus = (err: unknown): unknown => (err as { status?: unknown }).status;

function failure(err: unknown): QueryOutcome {
  const failed = (why: string): QueryOutcome => ({ status: "failed", message: `could not be read (${why})` });
  const status = httpStatus(err);
  if (status === 404) return { status: "failed", message: "are not offered by this FHIR server (HTTP 404)" };
  // The FHIR server's own reason, when its error answer gives one (fhir-read.ts).
  if (err instanceof FhirHttpError) return failed(err.message);
  if (typeof status === "number") return failed(`HTTP ${status}`);
  if (err instanceof FhirAnswerError) return failed(err.message);
  return failed("network error");
}

/**
 * A search of a type granted only in part (granular scopes): once within each granted
 * restriction, its parameters added to the query's (FHIR ANDs them: the query's own category and
 * the granted one both hold), the answers merged, a resource two of them found kept once. A
 * server that enforces the restriction may refuse a search outside it. The searches share the
 * query's one allowance of pages and bytes.
 */
async function searchWithin(client: FhirClient, url: string, restrictions: readonly string[], allowance: QueryAllowance): Promise<unknown[]> {
  const answers = await Promise.all(restrictions.map((restriction) => searchAll(client, `${url}${url.includes("?") ? "&" : "?"}${new URLSearchParams(restriction)}`, allowance)));
  const seen = new Set<string>();
  return answers.flat().filter((r) => {
    const { resourceType, id } = (r ?? {}) as { resourceType?: unknown; id?: unknown };
    if (typeof id !== "string") return true;
    const key = `${String(resourceType)}/${id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function runQuery(client: FhirClient, query: RecordQuery, patientId: string, grantedScope: string, limits: ReadLimits): Promise<QueryOutcome> {
  const grant = scopeGrant(grantedScope, query.resourceType, query.kind);
  if (grant === "none") return { status: "not-granted" };
  // A read cannot carry a restriction: it is made as granted, and the server decides.
  const partial = grant === "all" ? {} : { partial: grant.restrictions };
  try {
    const url = queryUrl(query, patientId);
    const allowance = queryAllowance(limits);
    const found =
      query.kind === "read"
        ? [await readResource(client, url, query.resourceType, allowance)]
        : grant === "all"
          ? await searchAll(client, url, allowance)
          : await searchWithin(client, url, grant.restrictions, allowance);
    const resources = found.filter(
      (r): r is Resource => typeof r === "object" && r !== null && typeof (r as Resource).resourceType === "string",
    );
    // A search may carry OperationOutcome warnings or _include'd types the query did not ask for.
    const ofType = resources.filter((r) => r.resourceType === query.resourceType || r.resourceType === "Medication");
    const { kept, dropped } = keepPatientResources(ofType, { patientId, fhirBaseUrl: client.state.serverUrl });
    if (query.use !== "model-input") return { status: "loaded", resources: kept, dropped, notModelInput: 0, ...partial };
    const input = keepModelInput(kept);
    return { status: "loaded", resources: input.kept, dropped, notModelInput: input.notModelInput, ...partial };
  } catch (err) {
    const lost = err instanceof RefreshRefusedError ? err.message : httpStatus(err) === 401 ? "the FHIR server refused the session's token (HTTP 401)" : null;
    if (lost === null) return failure(err);
    // Every query that meets the end clears the same session: clearing twice is harmless.
    clearSmartSession(client);
    throw new SessionLostError(lost);
  }
}

/** Every query's outcome; rejects with SessionLostError as soon as one query finds the session over. */
export async function loadRecord(client: FhirClient, patientId: string, grantedScope: string, limits = READ_LIMITS): Promise<LoadedRecord> {
  const queries = await Promise.all(
    RECORD_QUERIES.map(async (query) => ({ query, outcome: await runQuery(client, query, patientId, grantedScope, limits) })),
  );
  return { patientId, queries };
}

export interface RiskInput {
  /** What the model sees: the resources of the "model-input" queries. */
  resources: Resource[];
  /** The resources of the "card-context" queries (the KL grades, the procedures), never model input. */
  cardContext: Resource[];
  /** Required queries not read in full (not loaded, or granted only in part): no risk without
   * them, as a risk from part of them could be wrong. */
  missingRequired: LoadedQuery[];
  /** Optional queries not read in full: the risk is made without them, or from the part
   * granted, and says so beside it. */
  unavailable: LoadedQuery[];
}

/** The queries the CDS service runs too (not the imaging panel's), each with its outcome. */
export function riskQueries(record: LoadedRecord): LoadedQuery[] {
  return record.queries.filter((q) => q.query.use !== "imaging");
}

/** The resources the risk is computed from, the card's context, and the queries that stop it. */
export function riskInput(record: LoadedRecord): RiskInput {
  const loaded = (use: RecordQuery["use"]) =>
    record.queries.flatMap((q) => (q.query.use === use && q.outcome.status === "loaded" ? q.outcome.resources : []));
  const notFull = riskQueries(record).filter(isNotFullyRead);
  return {
    resources: loaded("model-input"),
    cardContext: loaded("card-context"),
    missingRequired: notFull.filter((q) => q.query.required),
    unavailable: notFull.filter((q) => !q.query.required),
  };
}

/** The first of the queries named by `keys` that was not loaded: what they would show is then not known (not "none"). */
export function unreadQuery(queries: readonly LoadedQuery[], keys: readonly string[]): LoadedQuery | undefined {
  return queries.find((q) => keys.includes(q.query.key) && q.outcome.status !== "loaded");
}

/** The first of the queries named by `keys` not read in full: not loaded, or loaded within a granular
 * scope's restriction only, so that what it should hold may lie outside what was read. */
export function notFullyRead(queries: readonly LoadedQuery[], keys: readonly string[]): LoadedQuery | undefined {
  return queries.find((q) => keys.includes(q.query.key) && isNotFullyRead(q));
}

const isNotFullyRead = (q: LoadedQuery): boolean => q.outcome.status !== "loaded" || q.outcome.partial !== undefined;

/**
 * The query of the BMI, weight and height (shared/risk-record-queries.ts) among `queries`, when it
 * was not read in full (failed, not granted, or granted only in part): the record's BMI is then not
 * known, where one missing from a full read is "none recorded". The one rule of the risk, the
 * what-if and data quality; an optional query, it is among riskInput's `unavailable` exactly then.
 */
export function bodyMeasuresUnread(queries: readonly LoadedQuery[]): LoadedQuery | undefined {
  return notFullyRead(queries, ["bodyMeasures"]);
}

export function imagingResources(record: LoadedRecord): Resource[] {
  return record.queries.flatMap((q) => (q.query.use === "imaging" && q.outcome.status === "loaded" ? q.outcome.resources : []));
}
