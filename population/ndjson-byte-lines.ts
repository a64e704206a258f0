/**
 * The lines of an NDJSON file as bytes, with their 1-based line numbers, streaming. Every reader
 * of NDJSON lines goes through here (the merge join, the spill, the sniffing of files, the string
 * lines of ndjson-lines.ts), so all of them split, number and limit lines alike. The merge join
 * reads every file twice (dry run, then the real join) on one thread; finding newlines and
 * patient references in bytes spares that thread decoding each line into a string, which the
 * thread that parses the line does anyway.
 *
 * A line ends at "\n" (a "\r" before it is dropped), as NDJSON defines; blank lines are passed
 * over but counted. A UTF-8 byte-order mark at the very start of the file is not part of line 1
 * (some Windows tools write one; JSON.parse would refuse the line). Each line is a view into a
 * chunk read from the file (no copy): holding a line holds its chunk. The chunks are
 * SharedArrayBuffers (readNdjsonLineBatches).
 */
import { open, type FileHandle } from "node:fs/promises";

/**
 * The longest line read, in bytes (without its end of line). A longer line is handed out as null
 * (a bad line for the caller to report by file and line) and its bytes are passed over, never
 * held: a line is otherwise held whole, copied to a string and parsed, and V8 cannot make a
 * string of more than 2^29 - 24 characters (a 600 MB line crashed the run). 64 MiB is many times
 * the largest resources of real exports (a few MB: a DocumentReference with its attachment
 * inline) and keeps one line's chunk (at most twice the limit), its string and its parse well
 * inside the 1 GB the README promises.
 */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** Bytes read at a time (a chunk grows only to hold a line longer than this). */
export const READ_CHUNK_BYTES = 1 << 20;

const NEWLINE = 10;
const RETURN = 13;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export interface ByteLine {
  /** The line's bytes, or null for a line longer than the limit (its bytes were never held). */
  bytes: Buffer | null;
  line: number;
}

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 32 && byte !== 9 && byte !== RETURN) return false;
  return true;
}

function withoutReturn(bytes: Buffer): Buffer {
  return bytes.length > 0 && bytes[bytes.length - 1] === RETURN ? bytes.subarray(0, -1) : bytes;
}

/** The lines of one chunk: each line's bytes (null: too long) and its number, in two arrays (no
 * object a line). */
export interface LineBatch {
  bytes: (Buffer | null)[];
  lines: number[];
}

/** Adds a line to the batch unless it is blank; one over the limit goes in as null. */
function addLine(batch: LineBatch, bytes: Buffer, line: number, maxLineBytes: number): void {
  const tooLong = bytes.length > maxLineBytes;
  if (!tooLong && isBlank(bytes)) return;
  batch.bytes.push(tooLong ? null : bytes);
  batch.lines.push(line);
}

/** The lines one at a time (readNdjsonLineBatches, flattened). */
export async function* readNdjsonByteLines(file: string, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<ByteLine> {
  for await (const batch of readNdjsonLineBatches(file, maxLineBytes)) {
    for (let i = 0; i < batch.bytes.length; i++) yield { bytes: batch.bytes[i] as Buffer | null, line: batch.lines[i]! };
  }
}

/** Where the first line starts: after a UTF-8 byte-order mark, if the file begins with one. */
async function startOfText(handle: FileHandle): Promise<number> {
  const head = Buffer.alloc(UTF8_BOM.length);
  const { bytesRead } = await handle.read(head, 0, head.length, 0);
  return bytesRead === head.length && head.equals(UTF8_BOM) ? head.length : 0;
}

/**
 * The lines of each chunk read, together: one await per chunk of about 1 MB instead of one per
 * line (the reading thread's async machinery and its garbage cost more than finding the lines).
 * `maxLineBytes` is MAX_LINE_BYTES but for tests.
 */
export async function* readNdjsonLineBatches(file: string, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<LineBatch> {
  const handle = await open(file, "r");
  try {
    let position = await startOfText(handle);
    let carry: Buffer = Buffer.alloc(0);
    let line = 0;
    // True while passing over the rest of a line already handed out as too long.
    let skipping = false;
    for (;;) {
      // A fresh chunk each time: lines handed out keep pointing into the previous ones. Shared
      // memory, so that the population job hands its lines to the scoring threads without a copy.
      const chunk = Buffer.from(new SharedArrayBuffer(Math.max(READ_CHUNK_BYTES, carry.length * 2)));
      carry.copy(chunk);
      const { bytesRead } = await handle.read(chunk, carry.length, chunk.length - carry.length, position);
      position += bytesRead;
      const filled = carry.length + bytesRead;
      const batch: LineBatch = { bytes: [], lines: [] };
      let start = 0;
      // The carried bytes hold no newline: the first search starts after them.
      let from = carry.length;
      if (skipping) {
        const end = chunk.indexOf(NEWLINE);
        skipping = end === -1 || end >= filled;
        start = from = skipping ? filled : end + 1;
      }
      for (let end = chunk.indexOf(NEWLINE, from); end !== -1 && end < filled; end = chunk.indexOf(NEWLINE, start)) {
        addLine(batch, withoutReturn(chunk.subarray(start, end)), ++line, maxLineBytes);
        start = end + 1;
      }
      carry = chunk.subarray(start, filled);
      if (bytesRead === 0) {
        // The last line, without a final newline.
        if (carry.length > 0) addLine(batch, withoutReturn(carry), ++line, maxLineBytes);
        if (batch.bytes.length > 0) yield batch;
        return;
      }
      // Already past the limit (by more than the "\r" of a "\r\n" split by the read): the line
      // is too long whatever follows, so it is handed out now and the rest of it never held.
      if (carry.length > maxLineBytes + 1) {
        addLine(batch, carry, ++line, maxLineBytes);
        carry = Buffer.alloc(0);
        skipping = true;
      }
      if (batch.bytes.length > 0) yield batch;
    }
  } finally {
    await handle.close();
  }
}
