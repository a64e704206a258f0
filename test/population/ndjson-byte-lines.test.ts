import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_LINE_BYTES, READ_CHUNK_BYTES, readNdjsonByteLines } from "../../population/ndjson-byte-lines.ts";
import { tempDir } from "./fixtures.ts";

/** Each line's number and text (null: too long), read with the given limit. */
async function linesOf(content: string | Buffer, maxLineBytes = MAX_LINE_BYTES): Promise<[number, string | null][]> {
  const file = join(tempDir(), "x.ndjson");
  writeFileSync(file, content);
  const out: [number, string | null][] = [];
  for await (const { bytes, line } of readNdjsonByteLines(file, maxLineBytes)) out.push([line, bytes === null ? null : bytes.toString("utf8")]);
  return out;
}

describe("readNdjsonByteLines", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("numbers every line, passes over blank ones, drops the \\r of \\r\\n and reads a last line without newline", async () => {
    expect(await linesOf('{"a":1}\r\n\n  \r\n{"b":"é"}\n{"c":3}')).toEqual([
      [1, '{"a":1}'],
      [4, '{"b":"é"}'],
      [5, '{"c":3}'],
    ]);
    expect(await linesOf("")).toEqual([]);
  });

  it("keeps lines whole across read chunks, including one longer than a chunk", async () => {
    const long = JSON.stringify({ text: "x".repeat(3 << 20) });
    const short = Array.from({ length: 40_000 }, (_, i) => JSON.stringify({ i, pad: "é".repeat(i % 50) }));
    const lines = await linesOf([...short, long, ...short].join("\n") + "\n");
    expect(lines.length).toBe(80_001);
    expect(lines[40_000]).toEqual([40_001, long]);
    expect(lines[80_000]).toEqual([80_001, short[39_999]]);
    expect(lines.every(([n, text], i) => n === i + 1 && text === (i < 40_000 ? short[i] : i === 40_000 ? long : short[i - 40_001]))).toBe(true);
  });

  it("leaves a UTF-8 byte-order mark at the very start of the file out of line 1, and only there", async () => {
    const bom = "\uFEFF";
    expect(await linesOf(`${bom}{"a":1}\n${bom}{"b":2}\n`)).toEqual([
      [1, '{"a":1}'],
      [2, `${bom}{"b":2}`],
    ]);
    expect(await linesOf(bom)).toEqual([]);
    expect(await linesOf(`${bom}\n{"a":1}`)).toEqual([[2, '{"a":1}']]);
  });

  it("hands out a line longer than the limit as null, with its number, and reads on after it", async () => {
    const limit = 10;
    const atLimit = "a".repeat(limit);
    const over = "b".repeat(limit + 1);
    expect(await linesOf(`${atLimit}\r\n${over}\n\n${atLimit}\n${over}`, limit)).toEqual([
      [1, atLimit],
      [2, null],
      [4, atLimit],
      [5, null],
    ]);
  });

  it("passes over a too-long line that spans many chunks without ever holding it", async () => {
    const limit = 64 * 1024;
    const long = "x".repeat(5 * READ_CHUNK_BYTES + 123);
    const allocated: number[] = [];
    // Every chunk is a SharedArrayBuffer: recording their sizes shows what the reader holds.
    vi.stubGlobal(
      "SharedArrayBuffer",
      class extends SharedArrayBuffer {
        constructor(length: number) {
          super(length);
          allocated.push(length);
        }
      },
    );
    expect(await linesOf(`{"a":1}\n${long}\r\n{"b":2}\n${long}`, limit)).toEqual([
      [1, '{"a":1}'],
      [2, null],
      [3, '{"b":2}'],
      [4, null],
    ]);
    expect(allocated.length).toBeGreaterThan(5);
    expect(Math.max(...allocated)).toBeLessThan(long.length);
  });

  it("takes a line of exactly the limit whose \\r\\n a read splits for a line within the limit", async () => {
    const limit = 1000;
    // Filler lines, then the line of `limit` bytes whose "\r" is the chunk's last byte and whose
    // "\n" comes with the next read: the carried part is limit + 1 bytes, the line only limit.
    const fillerLength = READ_CHUNK_BYTES - limit - 1;
    const fillerLines = Math.floor(fillerLength / 100);
    const filler = `${"f".repeat(99)}\n`.repeat(fillerLines) + `${"g".repeat((fillerLength % 100) - 1)}\n`;
    expect(filler.length).toBe(fillerLength);
    const line = "L".repeat(limit);
    const lines = await linesOf(`${filler}${line}\r\n{"after":1}\n`, limit);
    expect(lines.at(-2)).toEqual([fillerLines + 2, line]);
    expect(lines.at(-1)).toEqual([fillerLines + 3, '{"after":1}']);
  });
});
