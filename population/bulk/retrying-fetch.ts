/**
 * fetch with retries: on 429 and 5xx answers and on dropped connections (a fetch or a body read
 * that fails), up to `attempts` tries, waiting Retry-After when the server gives it, else an
 * exponential backoff with jitter. Servers that export thousands of small files rate-limit
 * clients that download them all at once; this is how the job stays polite and finishes.
 */
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

/** Seconds or an HTTP date, in ms; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null) return null;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

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
      // fetch reports a refused or dropped connection (also while reading the body) as a TypeError.
      const canRetry = status === null ? error instanceof TypeError : retryable(status);
      if (!canRetry || attempt >= policy.attempts) throw error;
      const hinted = error instanceof RetryLater ? error.delayMs : null;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      const delay = Math.min(policy.maxDelayMs, hinted ?? backoff);
      policy.onRetry?.(`${what}: ${status === null ? (error as Error).message : `HTTP ${status}`}`, Math.round(delay));
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
  const body = (await response.text().catch(() => "")).slice(0, 300);
  const message = `${what}: HTTP ${response.status}${body === "" ? "" : ` ${body}`}`;
  const after = retryAfterMs(response.headers.get("retry-after"));
  throw after === null ? new HttpError(response.status, message) : new RetryLater(response.status, message, after);
}
