/**
 * Retries, one loop: `untilAnswered`, used by the export's status poll and every file download,
 * and by `withRetries` for the requests made once (smart-configuration, the token, the kick-off,
 * the DELETE, the Group's PUT).
 *
 * A busy answer (429, or 503 with Retry-After: RFC 9110, the Bulk Data IG) is the server asking
 * the client to come back later, not an error. It waits Retry-After, however long (at least 1 s;
 * without it a backoff from 2 s to 1 min), as many times as it is asked, within a total time
 * limit. Real errors (other 5xx answers, a 503 without Retry-After, failed connections, tries
 * past their time limit: request-timeouts.ts) end the request after `attempts` in a row, each
 * waiting Retry-After or an exponential backoff with jitter. Servers that export thousands of
 * small files rate-limit clients that download them all at once, and token endpoints rate-limit
 * too; counting their 429s as errors made such runs fail.
 */
import { clipped } from "../../shared/clipped-text.ts";
import { outcomeSummary } from "../../shared/operation-outcome-text.ts";
import { parseJson } from "./parse-json.ts";
import { DEFAULT_REQUEST_TIMEOUT_MS, TimedOut, timed, type RequestClock } from "./request-timeouts.ts";

export interface RetryPolicy {
  attempts: number;
  /** First backoff; doubles each retry, capped at maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Told of every retry (for the progress log): why, and how long it waits. */
  onRetry?: (why: string, delayMs: number) => void;
  /** withRetries: how long, from its first try, a request's busy answers are waited out;
   * default DEFAULT_TIME_LIMIT_MS. */
  busyLimitMs?: number;
  /** withRetries and the status poll: how long one try may take, its answer read in full, before
   * it is given up (request-timeouts.ts) and counted as a fault; default DEFAULT_REQUEST_TIMEOUT_MS.
   * Downloads have a silence limit instead (bulk-export.ts). */
  requestTimeoutMs?: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

/** A day: the default time limit over a request's busy answers, and over the export's polling
 * (the largest exports take hours). */
export const DEFAULT_TIME_LIMIT_MS = 24 * 3_600_000;

export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_QUOTED_CHARS = 300;

/**
 * What an error answer says, for the message: an OperationOutcome's issues or an OAuth error
 * (`error`, `error_description`), bounded. No other body is quoted: the message goes to stderr
 * and logs, and a server that ignored the request's form may have answered with the data itself
 * (a Bundle of patients to a kick-off, a file's lines), an HTML page with anything.
 */
function errorText(body: string): string {
  const parsed = parseJson(body, "error answer", null);
  const { resourceType, error, error_description } = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (resourceType === "OperationOutcome") return outcomeSummary(parsed, MAX_QUOTED_CHARS) ?? "";
  return clipped([error, error_description].filter((text): text is string => typeof text === "string").join("; "), MAX_QUOTED_CHARS);
}

/** Seconds or an HTTP date, in ms; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null) return null;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  // An HTTP date names its day and month ("Fri, 31 Dec 1999 23:59:59 GMT"); Date.parse would also
  // take "-5" or "1.5" for dates long past, and the retry would come at once, without backoff.
  if (!/[A-Za-z]/.test(header)) return null;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * A connection refused, dropped or cut short: fetch reports it (also while the body is read) as a
 * TypeError caused by the socket's or the resolver's error. Its other TypeErrors (a URL that does
 * not parse) and a bug's are not worth a retry: they would fail the same way, slower.
 */
const isConnectionError = (error: unknown): error is TypeError => error instanceof TypeError && error.cause instanceof Error && !(error.cause instanceof TypeError);

/** "fetch failed (connect ECONNREFUSED 127.0.0.1:9)": fetch's message and its cause's. */
const connectionFault = (error: TypeError): string => `${error.message} (${causeMessage(error.cause as Error)})`;

/** The error a failed connection ends a request with: "what: fetch failed (...)". */
const connectionFailure = (what: string, error: TypeError): Error => new Error(`${what}: ${connectionFault(error)}`, { cause: error });

/** A cause's message. When every address of a name failed, the AggregateError has none of its own
 * (fetch's text would end "()"): each address's, then. */
function causeMessage(cause: Error): string {
  if (cause instanceof AggregateError && cause.message === "") return cause.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))).join("; ");
  return cause.message;
}

/** The TLS handshake's failures (Node's and OpenSSL's codes: a certificate refused, the handshake
 * failed): the request is written only after the handshake. */
const TLS_FAILURE = /^(?:ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$)/;

/**
 * Whether a connection failed before any request could be written on it: the name lookup
 * (`getaddrinfo`), the connect of every address tried (`connect`: refused, unreachable, or past a
 * time limit, Node's per address or undici's), or the TLS handshake. Several addresses fail
 * together as an AggregateError, whose code is only its first address's: it counts when each
 * address's error does.
 */
function neverConnected(cause: unknown): boolean {
  if (cause instanceof AggregateError) return cause.errors.length > 0 && cause.errors.every(neverConnected);
  const { code, syscall } = cause as NodeJS.ErrnoException;
  return syscall === "connect" || syscall === "getaddrinfo" || code === "UND_ERR_CONNECT_TIMEOUT" || (typeof code === "string" && TLS_FAILURE.test(code));
}

/**
 * A connection error after which the server may have received the request: dropped or reset
 * once connected, or a cause this client cannot place. Not one that failed while connecting.
 */
export const mayHaveReachedServer = (error: unknown): error is TypeError => isConnectionError(error) && !neverConnected(error.cause);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The wait before the next try after the `nth` fault in a row: exponential from the policy's
 * base to its cap, with jitter (half to all of it) so that parallel downloads do not retry together. */
const faultBackoffMs = (policy: RetryPolicy, nth: number): number =>
  Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (nth - 1)) * (0.5 + Math.random() / 2);

/** The time limit of one try of a small request under `policy` (request-timeouts.ts timed). */
export const requestTimeoutOf = (policy: RetryPolicy): number => policy.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;

/**
 * Runs `request` (a fetch plus whatever reads its body, throwing failFor's error for a bad status)
 * until it succeeds: untilAnswered over its answers (answerOf), busy ones waited out within
 * `policy.busyLimitMs`, `policy.attempts` real errors in a row ending it. Each wait is told to
 * `policy.onRetry`. `request` gets a fresh Response each time, and a signal to give its fetch (or
 * the clock, to give fetchWithToken, which starts it once the token is in hand): a try not done
 * within `policy.requestTimeoutMs` is aborted, a fault like a dropped connection; unless
 * `unanswered` is given, which makes the error that ends the request at once instead, for a try
 * not done in time or whose connection failed once made: a request the server may have received
 * and acted on, which must not be sent twice (a kick-off: bulk-export.ts). A connection that was
 * never made is retried all the same.
 */
export async function withRetries<T>(
  what: string,
  policy: RetryPolicy,
  request: (signal: AbortSignal, clock: RequestClock) => Promise<T>,
  unanswered?: (failure: Error) => Error,
): Promise<T> {
  const once = async (): Promise<ServerAnswer<T>> => {
    try {
      return { kind: "done", value: await timed(what, requestTimeoutOf(policy), request) };
    } catch (error) {
      if (unanswered === undefined) throw error;
      if (error instanceof TimedOut) throw unanswered(error);
      if (mayHaveReachedServer(error)) throw unanswered(connectionFailure(what, error));
      throw error;
    }
  };
  return untilAnswered(() => answerOf(what, once), {
    retry: policy,
    limitMs: policy.busyLimitMs ?? DEFAULT_TIME_LIMIT_MS,
    onWait: (answer, wait) => policy.onRetry?.(`${what}: ${waitReason(answer)}`, wait),
    tooLong: (elapsed) => new Error(busyTooLong(what, elapsed)),
  });
}

/** Why a request waits, for the retry log: its fault ("HTTP 500", "fetch failed (...)"), or "HTTP 429, busy". */
const waitReason = (answer: WaitingAnswer): string => (answer.kind === "fault" ? answer.why : answer.kind === "busy" ? `HTTP ${answer.status}, busy` : answer.kind);

/** What untilAnswered's `tooLong` is told: how long it went on, how many answers were busy, and
 * the wait the last answer asked for. */
interface Elapsed {
  ms: number;
  busyAnswers: number;
  nextWaitMs: number;
}

/** "WHAT: the server was still busy after N s (...)", for a request whose busy answers outlast its time limit. */
export function busyTooLong(what: string, { ms, busyAnswers, nextWaitMs }: Elapsed): string {
  return (
    `${what}: the server was still busy after ${Math.round(ms / 1000)} s (${busyAnswers} answer${busyAnswers === 1 ? "" : "s"} 429, or 503 with Retry-After; ` +
    `the next try would be in ${Math.round(nextWaitMs / 1000)} s, past the time limit)`
  );
}

/** An HttpError whose answer said when to come back (Retry-After). */
export class RetryLater extends HttpError {
  override name = "RetryLater";
  constructor(
    status: number,
    message: string,
    readonly delayMs: number,
  ) {
    super(status, message);
  }
}

/** Throws the right error for a response that is not `ok` (RetryLater when it has Retry-After). */
export async function failFor(response: Response, what: string): Promise<never> {
  const said = errorText(await response.text().catch(() => ""));
  const message = `${what}: HTTP ${response.status}${said === "" ? "" : ` ${said}`}`;
  const after = retryAfterMs(response.headers.get("retry-after"));
  throw after === null ? new HttpError(response.status, message) : new RetryLater(response.status, message, after);
}

/**
 * The body as JSON; else an error that says what was read, not the parser's message: V8 quotes
 * the text around the fault, which may be a patient's data or, from a token endpoint, the token.
 */
export async function jsonOf(response: Response, what: string): Promise<unknown> {
  return parseJson(await response.text(), `${what}: the HTTP ${response.status} answer`);
}

/** One answer of a server to a request the client makes again until it is done. */
export type ServerAnswer<T> =
  | { kind: "done"; value: T }
  /** 202 of a status URL: still running. */
  | { kind: "in progress"; retryAfterMs: number | null; progress: string | null }
  /** 429, or 503 with Retry-After: the server is healthy and asks the client to come back later. */
  | { kind: "busy"; status: number; retryAfterMs: number | null }
  /** Another 5xx, or a connection that failed: an error, of which a few in a row end the request. */
  | { kind: "fault"; error: Error; why: string; retryAfterMs: number | null };

/** An answer that is not the end: the client waits, then asks again. */
type WaitingAnswer = Exclude<ServerAnswer<never>, { kind: "done" }>;

/**
 * Runs `request` (a fetch plus whatever reads its body, throwing failFor's error for a bad status)
 * and gives its answer: its own, or, for what it threw, busy (429, or 503 with Retry-After) or a
 * fault (another 5xx, a failed connection, a try past its time limit: TimedOut). Anything else (404, 410, 401 after a new token, a bug)
 * is thrown again: asking again would get the same. So is a token that could not be had
 * (TokenFailed, fetchWithToken): the token's request made its own tries, within its own time
 * limit, and asking the FHIR server again would ask the token endpoint for as many again.
 */
export async function answerOf<T>(what: string, request: () => Promise<ServerAnswer<T>>): Promise<ServerAnswer<T>> {
  try {
    return await request();
  } catch (error) {
    const hinted = error instanceof RetryLater ? error.delayMs : null;
    if (error instanceof HttpError && (error.status === 429 || (error.status === 503 && hinted !== null))) {
      return { kind: "busy", status: error.status, retryAfterMs: hinted };
    }
    if (error instanceof HttpError && error.status >= 500) return { kind: "fault", error, why: `HTTP ${error.status}`, retryAfterMs: hinted };
    // A server that does not answer in time is as likely to answer the next try as one that
    // dropped the connection.
    if (error instanceof TimedOut) return { kind: "fault", error, why: error.why, retryAfterMs: null };
    if (isConnectionError(error)) return { kind: "fault", error: connectionFailure(what, error), why: connectionFault(error), retryAfterMs: null };
    throw error;
  }
}

/** setTimeout's longest delay (about 24.8 days): a longer one fires at once, which would make a
 * Retry-After of weeks (under a --poll-hours as long) a tight loop against the server. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Tries are at least this far apart after a busy or in-progress answer, whatever Retry-After
 * says: "0" must not become a busy loop. */
const MIN_WAIT_MS = 1_000;
/** Without Retry-After, busy and in-progress answers back off exponentially (the IG: clients
 * SHOULD) from 2 s to 1 min. */
const FIRST_BUSY_BACKOFF_MS = 2_000;
const MAX_BUSY_BACKOFF_MS = 60_000;

interface UntilAnsweredOptions {
  /** `attempts` bounds the faults in a row; their backoff is `baseDelayMs` doubling to `maxDelayMs`. */
  retry: RetryPolicy;
  /** Time limit over all the tries and waits, from the first try: a try that would start after it is not made. */
  limitMs: number;
  /** Told of each wait, before it (for the log). */
  onWait: (answer: WaitingAnswer, waitMs: number) => void;
  /** The error when the next try would start after the limit. */
  tooLong: (elapsed: Elapsed) => Error;
}

/**
 * Asks (`ask`, whose answers answerOf gives) until the answer is done, and returns its value.
 * In-progress and busy answers wait their Retry-After (at least 1 s; without it a backoff from
 * 2 s to 1 min) and count only against `limitMs`, however many there are; faults wait Retry-After
 * or the policy's backoff, and `retry.attempts` of them in a row end it with the last one's error.
 * Any answer between faults starts their count again.
 */
export async function untilAnswered<T>(ask: () => Promise<ServerAnswer<T>>, options: UntilAnsweredOptions): Promise<T> {
  const started = Date.now();
  let faults = 0;
  let busy = 0;
  let unhinted = 0;
  for (;;) {
    const answer = await ask();
    if (answer.kind === "done") return answer.value;
    let wait: number;
    if (answer.kind === "fault") {
      if (++faults >= options.retry.attempts) throw answer.error;
      // Capped at retry.maxDelayMs: a fault's Retry-After of a day would otherwise end the
      // request as "too long" on a server that may answer in a minute.
      wait = Math.min(options.retry.maxDelayMs, answer.retryAfterMs ?? faultBackoffMs(options.retry, faults));
    } else {
      faults = 0;
      if (answer.kind === "busy") busy++;
      unhinted = answer.retryAfterMs === null ? unhinted + 1 : 0;
      wait = Math.max(MIN_WAIT_MS, answer.retryAfterMs ?? Math.min(MAX_BUSY_BACKOFF_MS, FIRST_BUSY_BACKOFF_MS * 2 ** (unhinted - 1)));
    }
    if (Date.now() + wait - started > options.limitMs) throw options.tooLong({ ms: Date.now() - started, busyAnswers: busy, nextWaitMs: wait });
    options.onWait(answer, Math.round(wait));
    await sleep(Math.min(wait, MAX_TIMER_MS));
  }
}
