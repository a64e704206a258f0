/**
 * fetch with retries: on 429 and 5xx answers and on dropped connections (a fetch or a body read
 * that fails), up to `attempts` tries, waiting Retry-After when the server gives it, else an
 * exponential backoff with jitter. Servers that export thousands of small files rate-limit
 * clients that download them all at once; this is how the job stays polite and finishes.
 */
import { parseJson } from "./parse-json.ts";

export interface RetryPolicy {
  attempts: number;
  /** First backoff; doubles each retry, capped at maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Told of every retry (for the progress log): why, and how long it waits. */
  onRetry?: (why: string, delayMs: number) => void;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const retryable = (status: number) => status === 429 || status >= 500;

const MAX_QUOTED_CHARS = 300;

/**
 * What an error answer says, for the message: an OperationOutcome's issues or an OAuth error
 * (`error`, `error_description`), bounded. No other body is quoted: the message goes to stderr
 * and logs, and a server that ignored the request's form may have answered with the data itself
 * (a Bundle of patients to a kick-off, a file's lines), an HTML page with anything.
 */
function errorText(body: string): string {
  const parsed = parseJson(body, "error answer", null);
  const { resourceType, issue, error, error_description } = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const texts =
    resourceType === "OperationOutcome" && Array.isArray(issue)
      ? issue.map((i: { diagnostics?: unknown; details?: { text?: unknown }; code?: unknown } | null) => i?.diagnostics ?? i?.details?.text ?? i?.code)
      : [error, error_description];
  return texts
    .filter((text): text is string => typeof text === "string")
    .join("; ")
    .slice(0, MAX_QUOTED_CHARS);
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
export const isConnectionError = (error: unknown): boolean => error instanceof TypeError && error.cause instanceof Error && !(error.cause instanceof TypeError);

/** "fetch failed (connect ECONNREFUSED 127.0.0.1:9)": fetch's message and its cause's. */
export const connectionFault = (error: TypeError): string => `${error.message} (${(error.cause as Error).message})`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `request` (a fetch plus whatever reads its body) until it succeeds or the attempts are
 * spent. `request` gets a fresh Response each time and must throw HttpError for a bad status.
 */
export async function withRetries<T>(what: string, policy: RetryPolicy, request: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      const status = error instanceof HttpError ? error.status : null;
      const connection = status === null && isConnectionError(error);
      const canRetry = status === null ? connection : retryable(status);
      // fetch's own message ("fetch failed") names neither the request nor the cause.
      if (!canRetry || attempt >= policy.attempts) throw connection ? new Error(`${what}: ${connectionFault(error as TypeError)}`, { cause: error }) : error;
      const hinted = error instanceof RetryLater ? error.delayMs : null;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      const delay = Math.min(policy.maxDelayMs, hinted ?? backoff);
      policy.onRetry?.(`${what}: ${connection ? connectionFault(error as TypeError) : `HTTP ${status}`}`, Math.round(delay));
      await sleep(delay);
    }
  }
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
