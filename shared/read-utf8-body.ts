/**
 * A FHIR server's response body as text, read chunk by chunk without ever holding more than a
 * byte budget, for both readers of FHIR servers: the CDS service's fetch fallback
 * (cds-service/fhir/fhir-fetcher.ts) and the SMART app's record reader (app/data/fhir-read.ts).
 * The budget is shared by every body of one hook call or one app query, so a hostile or broken
 * server (an endless Bundle, a huge Content-Length) costs at most that much memory.
 *
 * Bytes that are not UTF-8, which FHIR's JSON must be (RFC 8259 section 8.1), are refused:
 * decoded anyway, they would become U+FFFD and change a code or an id without a word. A leading
 * byte order mark is ignored, as that section lets a JSON parser do ("in the interests of
 * interoperability"): JSON.parse would refuse the whole answer for it.
 *
 * The chunks are decoded as they come (no copy of the body joined in bytes), and the check is
 * the decoder's own (fatal), so the service and the browser run the same code.
 */

/** Bytes still allowed; decremented by every body read against it. */
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

export class BodyNotUtf8 extends Error {
  constructor() {
    super("FHIR response is not valid UTF-8");
    this.name = "BodyNotUtf8";
  }
}

/** What the reader needs of a fetch Response, which both callers have, in Node and the browser:
 * the declared length and the body's stream, read as it comes. */
interface ResponseBody {
  headers: Pick<Headers, "get">;
  body: ReadableStream<Uint8Array> | null;
}

/** Cancelling is not awaited: a stalled source may never settle it, and the reader must not wait. */
function stopReading(cancelled: Promise<void> | undefined): void {
  cancelled?.catch(() => undefined);
}

export async function readUtf8Body(response: ResponseBody, budget: ByteBudget): Promise<string> {
  if (Number(response.headers.get("content-length")) > budget.remaining) {
    stopReading(response.body?.cancel());
    throw new BodyTooLarge(budget.limit);
  }
  if (response.body === null) return "";
  // ignoreBOM false (the default): a BOM at the start of the stream is dropped, nowhere else.
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const decode = (bytes?: Uint8Array): string => {
    try {
      return decoder.decode(bytes, { stream: bytes !== undefined });
    } catch {
      throw new BodyNotUtf8();
    }
  };
  const reader = response.body.getReader();
  let text = "";
  try {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return text + decode();
      budget.remaining -= chunk.value.byteLength;
      if (budget.remaining < 0) throw new BodyTooLarge(budget.limit);
      text += decode(chunk.value);
    }
  } catch (error) {
    // Refused or failed mid-body: the rest is not wanted (cancelling a failed stream is harmless).
    stopReading(reader.cancel());
    throw error;
  }
}
