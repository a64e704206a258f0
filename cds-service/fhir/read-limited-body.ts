/**
 * Reads a response body as text without ever holding more than a byte budget. The budget is
 * shared by every response of one hook call, so a hostile or broken FHIR server (an endless
 * Bundle, a huge Content-Length) costs at most that much memory instead of whatever it sends
 * before the call's timeout.
 */
import { isUtf8 } from "node:buffer";

/** Bytes still allowed for the current hook call; read and decremented by readLimitedBody. */
export interface ByteBudget {
  remaining: number;
  /** The original budget, for the error message. */
  readonly limit: number;
}

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`FHIR response larger than ${limit} bytes`);
    this.name = "BodyTooLarge";
  }
}

/** A body whose bytes are not UTF-8, which FHIR's JSON must be: decoded anyway, its bad bytes
 * would become U+FFFD and change a code or an id without a word. */
export class BodyNotUtf8 extends Error {
  constructor() {
    super("FHIR response is not valid UTF-8");
    this.name = "BodyNotUtf8";
  }
}

/** Cancelling is not awaited: a stalled source may never settle it, and the call must not wait. */
function stopReading(cancelled: Promise<void> | undefined): void {
  cancelled?.catch(() => undefined);
}

export async function readLimitedBody(response: Response, budget: ByteBudget): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > budget.remaining) {
    stopReading(response.body?.cancel());
    throw new BodyTooLarge(budget.limit);
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    budget.remaining -= value.byteLength;
    if (budget.remaining < 0) {
      stopReading(reader.cancel());
      throw new BodyTooLarge(budget.limit);
    }
    chunks.push(value);
  }
  const bytes = Buffer.concat(chunks);
  if (!isUtf8(bytes)) throw new BodyNotUtf8();
  return bytes.toString("utf8");
}
