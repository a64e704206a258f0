/**
 * Writing a float32 .npy file (NumPy format 1.0, C order) one row at a time, so that memory
 * stays flat however many rows there are. The row count is unknown until the end: the header
 * reserves a fixed-width field for it and `close()` writes the final header over the first
 * bytes. numpy.load (also with mmap_mode) reads the result without custom code.
 */
import { endianness } from "node:os";
import { BufferedFile } from "./buffered-file.ts";

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0x01, 0x00]); // \x93NUMPY v1.0
/** Digits reserved for the row count: enough for any file this machine can write. */
const COUNT_WIDTH = 15;

/** The header: magic, length, dict padded with spaces to a multiple of 64 bytes, then "\n". */
export function npyHeader(rows: number, rowShape: readonly number[]): Buffer {
  const shape = [String(rows).padStart(COUNT_WIDTH, " "), ...rowShape.map(String)].join(", ");
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape}${rowShape.length === 0 ? "," : ""}), }`;
  const unpadded = MAGIC.length + 2 + dict.length + 1;
  const padded = Math.ceil(unpadded / 64) * 64;
  const header = Buffer.alloc(padded, 0x20);
  MAGIC.copy(header, 0);
  header.writeUInt16LE(padded - MAGIC.length - 2, MAGIC.length);
  header.write(dict, MAGIC.length + 2, "latin1");
  header[padded - 1] = 0x0a;
  return header;
}

export class NpyWriter {
  private readonly file: BufferedFile;
  private readonly rowLength: number;
  private rowCount = 0;

  /** Opens `path` for rows of shape `rowShape` ([] for one value per row). */
  constructor(
    readonly path: string,
    private readonly rowShape: readonly number[],
  ) {
    // '<f4' is little-endian: writing the Float32Array's bytes as they are needs a little-endian host.
    if (endianness() !== "LE") throw new Error("NpyWriter: a little-endian machine is required");
    this.rowLength = rowShape.reduce((a, b) => a * b, 1);
    this.file = new BufferedFile(path);
    this.file.write(npyHeader(0, rowShape));
  }

  get rows(): number {
    return this.rowCount;
  }

  /** Appends one row; its length must be the product of the row shape. */
  append(row: Float32Array): void {
    if (row.length !== this.rowLength) {
      throw new RangeError(`NpyWriter: row of ${row.length} values, expected ${this.rowLength} for ${this.path}`);
    }
    this.file.write(Buffer.from(row.buffer, row.byteOffset, row.byteLength));
    this.rowCount += 1;
  }

  /** Writes the final header (same length as the first) and closes the file. */
  close(): void {
    this.file.writeAt(npyHeader(this.rowCount, this.rowShape), 0);
    this.file.close();
  }

  /** Closes the file without finishing it (after a failure; the caller deletes it). */
  abandon(): void {
    this.file.abandon();
  }
}
