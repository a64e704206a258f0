/**
 * Reading float32 .npy files (NumPy format 1.x, C order, little-endian) as written by
 * `npm run features` (models/features/npy-writer.ts), a block of rows at a time: the sequence
 * tensor of a 50,000-patient cohort is gigabytes, too big to read whole.
 */
import { closeSync, openSync, readSync } from "node:fs";

const MAGIC = "\x93NUMPY";

export class NpyFormatError extends Error {
  override name = "NpyFormatError";
}

export interface NpyFile {
  readonly path: string;
  /** Rows (the first dimension) and the number of float32 values in one row. */
  readonly rows: number;
  readonly rowLength: number;
  /** Rows [start, start + count) as one contiguous array. */
  readRows(start: number, count: number): Float32Array;
  close(): void;
}

function parseHeader(path: string, fd: number): { dataOffset: number; shape: number[] } {
  const prefix = Buffer.alloc(12);
  readSync(fd, prefix, 0, 12, 0);
  if (prefix.toString("latin1", 0, 6) !== MAGIC) throw new NpyFormatError(`${path}: not a .npy file`);
  const major = prefix[6] as number;
  const lengthBytes = major === 1 ? 2 : 4;
  const headerLength = major === 1 ? prefix.readUInt16LE(8) : prefix.readUInt32LE(8);
  const dataOffset = 8 + lengthBytes + headerLength;
  const header = Buffer.alloc(headerLength);
  readSync(fd, header, 0, headerLength, 8 + lengthBytes);
  const text = header.toString("latin1");
  if (!/'descr':\s*'<f4'/.test(text)) throw new NpyFormatError(`${path}: dtype is not little-endian float32 ('<f4')`);
  if (!/'fortran_order':\s*False/.test(text)) throw new NpyFormatError(`${path}: Fortran order is not supported`);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
  if (shapeText === undefined) throw new NpyFormatError(`${path}: header has no shape`);
  const shape = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map(Number);
  if (shape.length === 0 || shape.some((n) => !Number.isInteger(n) || n < 0)) throw new NpyFormatError(`${path}: bad shape (${shapeText})`);
  return { dataOffset, shape };
}

/** Opens a float32 .npy file; throws NpyFormatError naming the file when it is anything else. */
export function openNpy(path: string): NpyFile {
  const fd = openSync(path, "r");
  let parsed;
  try {
    parsed = parseHeader(path, fd);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  const { dataOffset, shape } = parsed;
  const rows = shape[0] as number;
  const rowLength = shape.slice(1).reduce((a, b) => a * b, 1);
  return {
    path,
    rows,
    rowLength,
    readRows(start, count) {
      if (!(Number.isInteger(start) && Number.isInteger(count) && start >= 0 && count >= 0 && start + count <= rows)) {
        throw new RangeError(`${path}: rows [${start}, ${start + count}) outside [0, ${rows})`);
      }
      const bytes = Buffer.alloc(count * rowLength * 4);
      const read = readSync(fd, bytes, 0, bytes.length, dataOffset + start * rowLength * 4);
      if (read !== bytes.length) throw new NpyFormatError(`${path}: file ends before row ${start + count}`);
      // A fresh Buffer.alloc is 8-byte aligned, so the Float32Array view needs no copy.
      return new Float32Array(bytes.buffer, bytes.byteOffset, count * rowLength);
    },
    close: () => closeSync(fd),
  };
}
