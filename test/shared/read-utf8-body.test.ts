/**
 * The one body reader of the CDS service's fetch fallback and the app's record reader: UTF-8
 * text within a byte budget that every body of one call or query shares, a Content-Length
 * above it refused unread, bytes that are not UTF-8 refused rather than replaced, and a
 * leading byte order mark ignored (RFC 8259 section 8.1 lets a JSON parser do so).
 */
import { describe, expect, it } from "vitest";
import { BodyNotUtf8, BodyTooLarge, type ByteBudget, readUtf8Body } from "../../shared/read-utf8-body.ts";

const budgetOf = (limit: number): ByteBudget => ({ remaining: limit, limit });

/** A body that hands out these chunks, counting the ones pulled and noting a cancel; it pulls
 * only when read (no queue ahead), so the count is what the reader asked for. */
function bodyOf(chunks: readonly number[][], headers: Record<string, string> = {}) {
  const seen = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[seen.pulled];
      if (chunk === undefined) return controller.close();
      seen.pulled += 1;
      controller.enqueue(new Uint8Array(chunk));
    },
    cancel() {
      seen.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { response: { headers: new Headers(headers), body }, seen };
}

// "Ä" is C3 84, "膝" (U+819D) E8 86 9D, "😀" (U+1F600) F0 9F 98 80: 9 bytes in all.
const TEXT_BYTES = [0xc3, 0x84, 0xe8, 0x86, 0x9d, 0xf0, 0x9f, 0x98, 0x80];
const BOM = [0xef, 0xbb, 0xbf];

describe("readUtf8Body", () => {
  it("decodes characters split across chunks at every byte, and spends exactly the bytes read", async () => {
    const budget = budgetOf(100);
    const { response } = bodyOf(TEXT_BYTES.map((b) => [b]));
    await expect(readUtf8Body(response, budget)).resolves.toBe("Ä膝😀");
    expect(budget.remaining).toBe(91);
  });

  it("ignores one leading byte order mark, even split across chunks, and keeps U+FEFF anywhere else", async () => {
    const json = [...'{"a":1}'].map((c) => c.charCodeAt(0));
    await expect(readUtf8Body(bodyOf([[0xef], [0xbb, 0xbf, ...json]]).response, budgetOf(100))).resolves.toBe('{"a":1}');
    await expect(readUtf8Body(bodyOf([[...BOM, ...BOM, 0x41]]).response, budgetOf(100))).resolves.toBe("\uFEFFA");
    await expect(readUtf8Body(bodyOf([[0x41, ...BOM]]).response, budgetOf(100))).resolves.toBe("A\uFEFF");
  });

  it("refuses bytes that are not UTF-8, and stops reading at them", async () => {
    const bad = bodyOf([[0x41, 0xff], [0x42], [0x43]]);
    await expect(readUtf8Body(bad.response, budgetOf(100))).rejects.toBeInstanceOf(BodyNotUtf8);
    expect(bad.seen).toEqual({ pulled: 1, cancelled: true });
    // A sequence the body ends in the middle of: "膝" without its last byte.
    await expect(readUtf8Body(bodyOf([[0x41, 0xe8, 0x86]]).response, budgetOf(100))).rejects.toThrow("FHIR response is not valid UTF-8");
  });

  it("stops at the chunk that passes the budget, which every body of the call shares", async () => {
    const budget = budgetOf(10);
    await expect(readUtf8Body(bodyOf([[0x41, 0x42, 0x43, 0x44, 0x45, 0x46]]).response, budget)).resolves.toBe("ABCDEF");
    const second = bodyOf([[0x41, 0x42], [0x43, 0x44], [0x45, 0x46], [0x47]]);
    await expect(readUtf8Body(second.response, budget)).rejects.toThrow(new BodyTooLarge(10));
    expect(new BodyTooLarge(10).message).toBe("FHIR response larger than 10 bytes");
    expect(second.seen).toEqual({ pulled: 3, cancelled: true });
  });

  it("refuses a declared Content-Length above what is left without reading a byte", async () => {
    const declared = bodyOf([[0x41]], { "content-length": "11" });
    await expect(readUtf8Body(declared.response, budgetOf(10))).rejects.toBeInstanceOf(BodyTooLarge);
    expect(declared.seen).toEqual({ pulled: 0, cancelled: true });
    await expect(readUtf8Body(bodyOf([[0x41]], { "content-length": "10" }).response, budgetOf(10))).resolves.toBe("A");
  });

  it("reads no body as empty text", async () => {
    await expect(readUtf8Body({ headers: new Headers(), body: null }, budgetOf(10))).resolves.toBe("");
  });
});
