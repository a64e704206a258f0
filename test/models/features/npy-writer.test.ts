import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { npyHeader, NpyWriter } from "../../../models/features/npy-writer.ts";
import { tempDir } from "../../population/fixtures.ts";

function parseNpy(bytes: Buffer): { dict: string; data: Float32Array } {
  const headerLength = bytes.readUInt16LE(8);
  const dict = bytes.subarray(10, 10 + headerLength).toString("latin1");
  const body = bytes.subarray(10 + headerLength);
  return { dict, data: new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)) };
}

describe("npyHeader", () => {
  it("is NumPy 1.0, 64-byte aligned, ends in a newline, and has the same length for any count", () => {
    const small = npyHeader(0, [31, 156]);
    const large = npyHeader(250_000, [31, 156]);
    expect(small.subarray(0, 8)).toEqual(Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]));
    expect(small.length % 64).toBe(0);
    expect(large.length).toBe(small.length);
    expect(large[large.length - 1]).toBe(0x0a);
    expect(large.toString("latin1")).toMatch(/'descr': '<f4', 'fortran_order': False, 'shape': \(\s*250000, 31, 156\)/);
    expect(npyHeader(3, []).toString("latin1")).toMatch(/'shape': \(\s*3,\)/);
  });
});

describe("NpyWriter", () => {
  it("writes rows in C order and patches the row count at the end", () => {
    const path = join(tempDir(), "x.npy");
    const writer = new NpyWriter(path, [2, 2]);
    writer.append(Float32Array.of(1, 2, 3, 4));
    writer.append(Float32Array.of(0.5, -1, 0, 1 / 7));
    writer.close();
    const { dict, data } = parseNpy(readFileSync(path));
    expect(dict).toMatch(/'shape': \(\s*2, 2, 2\)/);
    expect([...data]).toEqual([1, 2, 3, 4, 0.5, -1, 0, Math.fround(1 / 7)]);
  });

  it("refuses a row of the wrong length", () => {
    const writer = new NpyWriter(join(tempDir(), "y.npy"), [3]);
    expect(() => writer.append(Float32Array.of(1, 2))).toThrow(/row of 2 values, expected 3/);
    writer.abandon();
  });
});
