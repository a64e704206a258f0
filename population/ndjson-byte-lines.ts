/**
 * The lines of an NDJSON file as bytes, with their 1-based line numbers, streaming. The merge
 * join reads every file twice (dry run, then the real join) on one thread; finding newlines and
 * patient references in bytes spares that thread decoding each line into a string, which the
 * thread that parses the line does anyway.
 *
 * A line ends at "\n" (a "\r" before it is dropped), as NDJSON defines; blank lines are passed
 * over but counted. Each line is a view into a chunk read from the file (no copy): holding a
 * line holds its chunk. The chunks are SharedArrayBuffers (readNdjsonLineBatches).
 */
import { open } from "node:fs/promises";

const CHUNK = 1 << 20;
const NEWLINE = 10;
const RETURN = 13;

export interface ByteLine {
  bytes: Buffer;
  line: number;
}

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 32 && byte !== 9 && byte !== RETURN) return false;
  return true;
}

/** The lines of one chunk: each line's bytes and its number, in two arrays (no object a line). */
export interface LineBatch {
  bytes: Buffer[];
  lines: number[];
}

/** The lines one at a time (readNdjsonLineBatches, flattened). */
export async function* readNdjsonByteLines(file: string): AsyncGenerator<ByteLine> {
  for await (const batch of readNdjsonLineBatches(file)) {
    for (let i = 0; i < batch.bytes.length; i++) yield { bytes: batch.bytes[i]!, line: batch.lines[i]! };
  }
}

/**
 * The lines of each chunk read, together: one await per chunk of about 1 MB instead of one per
 * line (the reading thread's async machinery and its garbage cost more than finding the lines).
 */
export async function* readNdjsonLineBatches(file: string): AsyncGenerator<LineBatch> {
  const handle = await open(file, "r");
  try {
    let carry: Buffer = Buffer.alloc(0);
    let line = 0;
    for (;;) {
      // A fresh chunk each time: lines handed out keep pointing into the previous ones. Shared
      // memory, so that the population job hands its lines to the scoring threads without a copy.
      const chunk = Buffer.from(new SharedArrayBuffer(Math.max(CHUNK, carry.length * 2)));
      carry.copy(chunk);
      const { bytesRead } = await handle.read(chunk, carry.length, chunk.length - carry.length, null);
      const filled = carry.length + bytesRead;
      const batch: LineBatch = { bytes: [], lines: [] };
      let start = 0;
      for (let end = chunk.indexOf(NEWLINE, start); end !== -1 && end < filled; end = chunk.indexOf(NEWLINE, start)) {
        line += 1;
        const bytes = chunk.subarray(start, end > start && chunk[end - 1] === RETURN ? end - 1 : end);
        if (!isBlank(bytes)) {
          batch.bytes.push(bytes);
          batch.lines.push(line);
        }
        start = end + 1;
      }
      carry = chunk.subarray(start, filled);
      if (bytesRead === 0) {
        // The last line, without a final newline.
        if (carry.length > 0 && !isBlank(carry)) {
          batch.bytes.push(carry[carry.length - 1] === RETURN ? carry.subarray(0, -1) : carry);
          batch.lines.push(line + 1);
        }
        if (batch.bytes.length > 0) yield batch;
        return;
      }
      if (batch.bytes.length > 0) yield batch;
    }
  } finally {
    await handle.close();
  }
}
