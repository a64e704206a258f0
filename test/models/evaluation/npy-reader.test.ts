import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NpyWriter } from "../../../models/features/npy-writer.ts";
import { NpyFormatError, openNpy } from "../../../models/evaluation/npy-reader.ts";

describe("openNpy", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "npy-reader-test-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  function writeMatrix(file: string, rows: number[][], rowShape: number[]): void {
    const writer = new NpyWriter(file, rowShape);
    for (const row of rows) writer.append(Float32Array.from(row));
    writer.close();
  }

  it("reads back blocks of rows that npm run features' writer wrote", () => {
    const file = path.join(dir, "m.npy");
    writeMatrix(file, [[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12], [0.5, -1.5, 2.25, 0, 0, 1]], [2, 3]);
    const npy = openNpy(file);
    try {
      expect([npy.rows, npy.rowLength]).toEqual([3, 6]);
      expect([...npy.readRows(1, 2)]).toEqual([7, 8, 9, 10, 11, 12, 0.5, -1.5, 2.25, 0, 0, 1]);
      expect([...npy.readRows(0, 1)]).toEqual([1, 2, 3, 4, 5, 6]);
      expect(() => npy.readRows(2, 2)).toThrow(RangeError);
    } finally {
      npy.close();
    }
  });

  it("reads a one-value-per-row vector", () => {
    const file = path.join(dir, "v.npy");
    writeMatrix(file, [[0.25], [0.75]], []);
    const npy = openNpy(file);
    expect([npy.rows, npy.rowLength, ...npy.readRows(0, 2)]).toEqual([2, 1, 0.25, 0.75]);
    npy.close();
  });

  it("refuses a file that is not a float32 .npy, naming it", async () => {
    const text = path.join(dir, "x.npy");
    await writeFile(text, "not numpy at all");
    expect(() => openNpy(text)).toThrow(new NpyFormatError(`${text}: not a .npy file`));
    const doubles = path.join(dir, "d.npy");
    const dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }";
    const header = Buffer.concat([Buffer.from([0x93]), Buffer.from("NUMPY\x01\x00", "latin1"), Buffer.from([dict.length + 1, 0]), Buffer.from(`${dict}\n`, "latin1")]);
    await writeFile(doubles, Buffer.concat([header, Buffer.alloc(8)]));
    expect(() => openNpy(doubles)).toThrow(/d\.npy: dtype is not little-endian float32/);
  });

  it("says when the data ends before the header's row count", async () => {
    const file = path.join(dir, "short.npy");
    writeMatrix(file, [[1, 2], [3, 4]], [2]);
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, bytes.length - 4));
    const npy = openNpy(file);
    expect(() => npy.readRows(1, 1)).toThrow(/short\.npy: file ends before row 2/);
    npy.close();
  });
});
