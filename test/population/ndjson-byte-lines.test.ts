import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readNdjsonByteLines } from "../../population/ndjson-byte-lines.ts";
import { tempDir } from "./fixtures.ts";

async function linesOf(content: string | Buffer): Promise<[number, string][]> {
  const file = join(tempDir(), "x.ndjson");
  writeFileSync(file, content);
  const out: [number, string][] = [];
  for await (const { bytes, line } of readNdjsonByteLines(file)) out.push([line, bytes.toString("utf8")]);
  return out;
}

describe("readNdjsonByteLines", () => {
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
});
