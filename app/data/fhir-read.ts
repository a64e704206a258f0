/**
 * One query's resources, read from the FHIR server with the session's token. fhirclient's own
 * `request` is not used for this: it follows a `next` link to any address with the token in its
 * Authorization header, follows a link back to a page already read without end, hands a page
 * that is not JSON back as text (read as "no records"), and decodes the body with the bytes that
 * are not UTF-8 replaced by U+FFFD, so a code or an id can change unseen. Here the token goes
 * only to the server's own base, every page must be a Bundle, the pages are bounded in number,
 * time and bytes, and a body that is not UTF-8 is a failure, as the CDS service does
 * (cds-service/fhir/fhir-fetcher.ts).
 */
import type FHIR from "fhirclient";
import { asObject, type JsonObject } from "../../shared/features/fhir-read.ts";
import { fhirBase, resolveOnServer } from "../../shared/fhir-server-url.ts";
import { outcomeSummary } from "../../shared/operation-outcome-text.ts";
import { BodyNotUtf8, BodyTooLarge, type ByteBudget, readUtf8Body } from "../../shared/read-utf8-body.ts";
import { searchReportsError } from "../../shared/search-outcome.ts";
import { storeLaunchState } from "../smart/fhirclient-state.ts";

/** What the reader uses of fhirclient's Client (a test passes a real Client against msw). */
export type FhirClient = Pick<Awaited<ReturnType<typeof FHIR.oauth2.ready>>, "refreshIfNeeded" | "getAuthorizationHeader" | "state">;

export interface ReadLimits {
  /** Pages of one query, all its searches together; more is a failure rather than a record cut
   * short without a word. */
  maxPages: number;
  /** Per request: a server that never answers must not keep the whole app waiting. */
  timeoutMs: number;
  /** Bytes of one query's answers, all its pages together: a server that sends without end
   * must not take the browser tab's memory. */
  maxBytes: number;
}

export const READ_LIMITS: ReadLimits = { maxPages: 200, timeoutMs: 20_000, maxBytes: 64 * 2 ** 20 };

/**
 * What one query may still read. Every request of the query counts against the one allowance, so
 * that a type granted only in part, searched once per granted restriction (load-record.ts), reads
 * no more pages or bytes than a type granted in full.
 */
export interface QueryAllowance {
  readonly limits: ReadLimits;
  /** The bytes left of limits.maxBytes. */
  readonly bytes: ByteBudget;
  /** Search pages requested so far, of limits.maxPages. */
  pagesRead: number;
}

export const queryAllowance = (limits: ReadLimits): QueryAllowance => ({ limits, bytes: { remaining: limits.maxBytes, limit: limits.maxBytes }, pagesRead: 0 });

/** The most of an error answer's OperationOutcome shown with a failed query. */
const MAX_OUTCOME_CHARS = 200;

/** The server answered with an HTTP error status; `outcome`: what its OperationOutcome says
 * (shared/operation-outcome-text.ts), e.g. why a type is refused. */
export class FhirHttpError extends Error {
  constructor(
    readonly status: number,
    readonly outcome?: string,
  ) {
    super(`HTTP ${status}${outcome === undefined ? "" : `: ${outcome}`}`);
    this.name = "FhirHttpError";
  }
}

/** The error answer as a FhirHttpError, with its OperationOutcome's words when it has one (a
 * body that is not one, too large or unreadable only leaves them out). */
async function httpError(response: Response, budget: ByteBudget): Promise<FhirHttpError> {
  const body = await readUtf8Body(response, budget)
    .then((text): unknown => JSON.parse(text))
    .catch(() => undefined);
  return new FhirHttpError(response.status, outcomeSummary(body, MAX_OUTCOME_CHARS));
}

/** The answer cannot be used as it stands; the message says why, for the clinician. */
export class FhirAnswerError extends Error {
  override name = "FhirAnswerError";
}

/** The authorization server refused to renew the expired token: the session is over. */
export class RefreshRefusedError extends Error {
  override name = "RefreshRefusedError";
}

const isObject = (value: unknown): value is JsonObject => asObject(value) !== undefined;

/** A link the token may follow (shared/fhir-server-url.ts). */
function ownUrl(link: string, base: URL): URL {
  const url = resolveOnServer(link, base);
  if (url === "not-a-url") throw new FhirAnswerError("the server's next-page link is not an address");
  if (url === "foreign") throw new FhirAnswerError("the server's next-page link leads away from the FHIR server");
  return url;
}

/** The body as text within the query's byte budget (shared/read-utf8-body.ts), its refusals
 * said for the clinician. */
async function readText(response: Response, budget: ByteBudget): Promise<string> {
  try {
    return await readUtf8Body(response, budget);
  } catch (error) {
    if (error instanceof BodyTooLarge) throw new FhirAnswerError(`the server's answers exceed ${budget.limit / 2 ** 20} MB`);
    if (error instanceof BodyNotUtf8) throw new FhirAnswerError("the server's answer is not UTF-8 text, so its records cannot be read as sent");
    throw error;
  }
}

/**
 * fhirclient's refreshIfNeeded, its failures told apart. A refusal (RFC 6749 section 5.2: 400,
 * e.g. invalid_grant for a refresh token expired or revoked, or 401 for the client) ends the
 * session. A token endpoint that is down (5xx, network, no answer in time) refused nothing, but
 * fhirclient's refresh() drops the refresh token after any failure and stores the session
 * without it, so no reload could renew the token: it is put back.
 */
async function refreshIfNeeded(client: FhirClient, signal: AbortSignal): Promise<void> {
  const { state } = client;
  const refreshToken = state.tokenResponse?.refresh_token;
  try {
    await client.refreshIfNeeded({ signal });
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (status === 400 || status === 401) throw new RefreshRefusedError(`the authorization server refused to renew the session's token (HTTP ${status})`);
    if (refreshToken !== undefined && state.tokenResponse !== undefined && state.key !== undefined) {
      state.tokenResponse.refresh_token = refreshToken;
      storeLaunchState(sessionStorage, state.key, state);
    }
    throw error;
  }
}

/** The body's text, within `limits.timeoutMs` from the request to its last byte. */
async function getText(client: FhirClient, url: URL, { limits, bytes }: QueryAllowance): Promise<string> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    await refreshIfNeeded(client, signal);
    const authorization = client.getAuthorizationHeader();
    const response = await fetch(url, {
      headers: { accept: "application/fhir+json", ...(authorization !== null && { authorization }) },
      signal,
      // A redirect could take the token elsewhere; the server's own links are followed above.
      redirect: "error",
    });
    if (!response.ok) throw await httpError(response, bytes);
    return await readText(response, bytes);
  } catch (error) {
    if ((error as Error).name === "TimeoutError") throw new FhirAnswerError(`no answer within ${limits.timeoutMs / 1000} s`);
    throw error;
  }
}

async function getJson(client: FhirClient, url: URL, allowance: QueryAllowance): Promise<unknown> {
  const text = await getText(client, url, allowance);
  try {
    return JSON.parse(text);
  } catch {
    throw new FhirAnswerError("the server's answer is not JSON");
  }
}

/** The resource a read returns, which must be of the type asked for. */
export async function readResource(client: FhirClient, path: string, resourceType: string, allowance: QueryAllowance): Promise<unknown> {
  const body = await getJson(client, ownUrl(path, fhirBase(client.state.serverUrl)), allowance);
  if (!isObject(body) || body.resourceType !== resourceType) throw new FhirAnswerError(`the server did not return a ${resourceType}`);
  return body;
}

/** One page's entries' resources (entries without one skipped) and its next link, if any. */
function readPage(body: unknown): { resources: unknown[]; next: string | undefined } {
  if (!isObject(body) || body.resourceType !== "Bundle") throw new FhirAnswerError("a page of the search is not a Bundle");
  if (searchReportsError(body)) throw new FhirAnswerError("the server reports an error with this search");
  const entries = body.entry ?? [];
  const links = body.link ?? [];
  if (!Array.isArray(entries) || !Array.isArray(links)) throw new FhirAnswerError("a page of the search is a malformed Bundle");
  const next = links.find((link: unknown) => isObject(link) && link.relation === "next") as JsonObject | undefined;
  if (next !== undefined && (typeof next.url !== "string" || next.url === "")) throw new FhirAnswerError("a page's next link has no address");
  return {
    resources: entries.flatMap((entry: unknown) => (isObject(entry) && entry.resource !== undefined ? [entry.resource] : [])),
    next: next?.url as string | undefined,
  };
}

/** Every page of a search, in order, within the query's allowance (shared with its other searches). */
export async function searchAll(client: FhirClient, path: string, allowance: QueryAllowance): Promise<unknown[]> {
  const base = fhirBase(client.state.serverUrl);
  const resources: unknown[] = [];
  const seen = new Set<string>();
  const { maxPages } = allowance.limits;
  for (let url: URL | undefined = ownUrl(path, base); url !== undefined; ) {
    if (seen.has(url.href)) throw new FhirAnswerError("the server's paging returns to a page already read");
    // Counted before the request: the query's searches run in parallel.
    if (allowance.pagesRead === maxPages) throw new FhirAnswerError(`the search has more than ${maxPages} pages`);
    allowance.pagesRead += 1;
    seen.add(url.href);
    const page = readPage(await getJson(client, url, allowance));
    // One by one: push(...page) passes every resource as an argument, which a huge page overflows.
    for (const resource of page.resources) resources.push(resource);
    url = page.next === undefined ? undefined : ownUrl(page.next, base);
  }
  return resources;
}
