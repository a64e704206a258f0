/**
 * Patients' NDJSON lines on their way to a scoring thread, without copying them: the reader
 * reads into SharedArrayBuffers (ndjson-byte-lines.ts), so a batch names, for each line, its
 * buffer and where the line starts and ends in it, and the scoring thread decodes the line from
 * the same memory. Only lines not read into shared memory (none, in the job) are copied, into one
 * buffer per batch. Flat arrays for the patients and places: sending a few arrays costs the
 * reading thread far less than cloning thousands of lines, and copying a batch's bytes (the
 * earlier design) cost it about a tenth of its time, in copies and in the collections that the
 * new buffers brought on.
 *
 * The reading thread packs each patient as the join yields it (PackBuilder), so the join's line
 * objects die young instead of waiting for a whole batch.
 */
import type { PatientLines } from "../ndjson-patient-lines.ts";

export interface PackedLines {
  patientIds: string[];
  /** Lines per patient, in order. */
  lineCounts: Int32Array;
  files: string[];
  /** The memory the lines are in: shared read buffers, and at most one buffer of copied lines. */
  buffers: (SharedArrayBuffer | ArrayBuffer)[];
  /** Per line: index into `files`, the 1-based line number, index into `buffers`, and where its
   * bytes start and end in that buffer. */
  fileIndexes: Int32Array;
  lineNumbers: Int32Array;
  bufferIndexes: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
}

class Int32List {
  array = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.array.length) {
      const grown = new Int32Array(this.array.length * 2);
      grown.set(this.array);
      this.array = grown;
    }
    this.array[this.length++] = value;
  }
  finish(): Int32Array {
    return this.array.slice(0, this.length);
  }
}

/** Keys numbered in the order first seen. The last key's number is kept at hand: a patient's
 * lines come in runs from one file and one read buffer. */
class Numbering<K> {
  readonly keys: K[] = [];
  private readonly numbers = new Map<K, number>();
  private lastKey: K | undefined;
  private lastNumber = -1;

  numberOf(key: K): number {
    if (key !== this.lastKey) {
      let number = this.numbers.get(key);
      if (number === undefined) {
        number = this.keys.push(key) - 1;
        this.numbers.set(key, number);
      }
      this.lastKey = key;
      this.lastNumber = number;
    }
    return this.lastNumber;
  }
}

/** Packs patients one at a time; `finish` gives the PackedLines of all of them. */
export class PackBuilder {
  private readonly patientIds: string[] = [];
  private readonly lineCounts: number[] = [];
  private readonly files = new Numbering<string>();
  private readonly sharedBuffers = new Numbering<SharedArrayBuffer>();
  private readonly fileIndexes = new Int32List();
  private readonly lineNumbers = new Int32List();
  private readonly bufferIndexes = new Int32List();
  private readonly starts = new Int32List();
  private readonly ends = new Int32List();
  /** Lines not in shared memory, copied at the end into one buffer (placed last in `buffers`). */
  private readonly copied: Uint8Array[] = [];
  private copiedBytes = 0;

  get patients(): number {
    return this.patientIds.length;
  }

  add(group: PatientLines): void {
    this.patientIds.push(group.patientId);
    this.lineCounts.push(group.lines.length);
    for (const { bytes, file, line } of group.lines) {
      this.fileIndexes.push(this.files.numberOf(file));
      this.lineNumbers.push(line);
      const buffer = bytes.buffer;
      if (buffer instanceof SharedArrayBuffer) {
        this.bufferIndexes.push(this.sharedBuffers.numberOf(buffer));
        this.starts.push(bytes.byteOffset);
        this.ends.push(bytes.byteOffset + bytes.length);
      } else {
        // -1: the buffer of copied lines, whose index is known only at the end.
        this.bufferIndexes.push(-1);
        this.starts.push(this.copiedBytes);
        this.ends.push(this.copiedBytes + bytes.length);
        this.copied.push(bytes);
        this.copiedBytes += bytes.length;
      }
    }
  }

  finish(): PackedLines {
    const bufferIndexes = this.bufferIndexes.finish();
    const buffers: (SharedArrayBuffer | ArrayBuffer)[] = [...this.sharedBuffers.keys];
    if (this.copied.length > 0) {
      const copy = new Uint8Array(this.copiedBytes);
      let at = 0;
      for (const bytes of this.copied) {
        copy.set(bytes, at);
        at += bytes.length;
      }
      const index = buffers.push(copy.buffer) - 1;
      for (let i = 0; i < bufferIndexes.length; i++) if (bufferIndexes[i] === -1) bufferIndexes[i] = index;
    }
    return {
      patientIds: this.patientIds,
      lineCounts: Int32Array.from(this.lineCounts),
      files: this.files.keys,
      buffers,
      fileIndexes: this.fileIndexes.finish(),
      lineNumbers: this.lineNumbers.finish(),
      bufferIndexes,
      starts: this.starts.finish(),
      ends: this.ends.finish(),
    };
  }
}

export function packLines(groups: readonly PatientLines[]): PackedLines {
  const builder = new PackBuilder();
  for (const group of groups) builder.add(group);
  return builder.finish();
}

/** The buffers a message carrying `packed` can transfer instead of copying (shared memory is
 * shared, not transferred). */
export function transferables(packed: PackedLines): ArrayBuffer[] {
  const own = packed.buffers.filter((buffer): buffer is ArrayBuffer => !(buffer instanceof SharedArrayBuffer));
  return [packed.lineCounts, packed.fileIndexes, packed.lineNumbers, packed.bufferIndexes, packed.starts, packed.ends].map((array) => array.buffer as ArrayBuffer).concat(own);
}

export function unpackLines(packed: PackedLines): PatientLines[] {
  let next = 0;
  return packed.patientIds.map((patientId, i) => {
    const lines = [];
    for (const last = next + packed.lineCounts[i]!; next < last; next += 1) {
      const start = packed.starts[next]!;
      const bytes = new Uint8Array(packed.buffers[packed.bufferIndexes[next]!]!, start, packed.ends[next]! - start);
      lines.push({ bytes, file: packed.files[packed.fileIndexes[next]!]!, line: packed.lineNumbers[next]! });
    }
    return { patientId, lines };
  });
}
