/**
 * The Bulk Data client's one JSON.parse. Its error names what was parsed and how long it was,
 * never the parser's message: V8 quotes the text around the fault, which here may be a private
 * key's "d", an access token, a pre-signed URL or a patient's data.
 */

/** `text` as JSON; else an error "WHAT is not JSON (N characters)". */
export function parseJson(text: string, what: string): unknown;
/** `text` as JSON; else `fallback` (for text that may well not be JSON, like an error page). */
export function parseJson<F>(text: string, what: string, fallback: F): unknown;
export function parseJson(text: string, what: string, ...fallback: unknown[]): unknown {
  try {
    return JSON.parse(text);
  } catch {
    if (fallback.length > 0) return fallback[0];
    throw new Error(`${what} is not JSON (${text.length} characters)`);
  }
}
