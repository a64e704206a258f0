/**
 * Reads a response body as text without ever holding more than a byte budget. The budget is
 * shared by every response of one hook call, so a hostile or broken FHIR server (an endless
 * Bundle, a huge Content-Length) costs at most that much memory instead of whatever it sends
 * before the call's timeout.
 */

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
  return Buffer.concat(chunks).toString("utf8");
}
