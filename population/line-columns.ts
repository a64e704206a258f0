/**
 * NDJSON lines held as columns of numbers (the line's file, its number, the buffer it was read
 * into and where its bytes start and end there) rather than one object a line: an object and a
 * typed-array view cost about 250 bytes a line, so one patient with 400,000 heart rates took some
 * 100 MB on the reading thread and as much again on the scoring thread it was sent to, and about
 * 800,000 would have passed the population job's 1 GB. As columns a line costs 20 bytes, and its
 * object (with a view into the same memory, no copy of the bytes) is made only when the line is
 * read, for as long as the reader needs it.
 */
import type { LineList, PatientLine } from "./ndjson-patient-lines.ts";

/** A growing Int32Array, starting at `capacity` values. */
class Int32List {
  array: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.array = new Int32Array(capacity);
  }
  push(value: number): void {
    if (this.length === this.array.length) {
      const grown = new Int32Array(this.array.length * 2);
      grown.set(this.array);
      this.array = grown;
    }
    this.array[this.length++] = value;
  }
  /** The values, in a buffer of their own (one a message can transfer). */
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

/** Where lines are, column by column: line `i` is in `files[fileIndexes[i]]` at line
 * `lineNumbers[i]`, its bytes in `buffers[bufferIndexes[i]]` from `starts[i]` to `ends[i]`. */
export interface LinePlaces {
  files: readonly string[];
  buffers: readonly ArrayBufferLike[];
  fileIndexes: Int32Array;
  lineNumbers: Int32Array;
  bufferIndexes: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
}

/** Line `i` of `places`, its bytes a view into the buffer it was read into. */
function lineAt(places: LinePlaces, i: number): PatientLine {
  const start = places.starts[i]!;
  return { bytes: new Uint8Array(places.buffers[places.bufferIndexes[i]!]!, start, places.ends[i]! - start), file: places.files[places.fileIndexes[i]!]!, line: places.lineNumbers[i]! };
}

/** Lines `from` (included) to `to` (excluded) of `places`, each made as it is read. */
export function linesOf(places: LinePlaces, from: number, to: number): LineList {
  return {
    length: to - from,
    *[Symbol.iterator]() {
      for (let i = from; i < to; i++) yield lineAt(places, i);
    },
  };
}

/** Lines added one at a time (`push`, as to an array: the merge join collects a patient's lines
 * so) or a whole LineColumns at once (`append`, number by number). */
export class LineColumns implements LineList {
  readonly files = new Numbering<string>();
  readonly buffers = new Numbering<ArrayBufferLike>();
  readonly fileIndexes: Int32List;
  readonly lineNumbers: Int32List;
  readonly bufferIndexes: Int32List;
  readonly starts: Int32List;
  readonly ends: Int32List;

  /** `capacity`: lines room is made for at first (doubled as needed): small for one patient's,
   * who mostly has a few dozen, larger for a batch's. */
  constructor(capacity = 16) {
    this.fileIndexes = new Int32List(capacity);
    this.lineNumbers = new Int32List(capacity);
    this.bufferIndexes = new Int32List(capacity);
    this.starts = new Int32List(capacity);
    this.ends = new Int32List(capacity);
  }

  get length(): number {
    return this.starts.length;
  }

  push(line: PatientLine): void {
    this.fileIndexes.push(this.files.numberOf(line.file));
    this.lineNumbers.push(line.line);
    this.bufferIndexes.push(this.buffers.numberOf(line.bytes.buffer));
    this.starts.push(line.bytes.byteOffset);
    this.ends.push(line.bytes.byteOffset + line.bytes.length);
  }

  append(other: LineColumns): void {
    const files = other.files.keys.map((file) => this.files.numberOf(file));
    const buffers = other.buffers.keys.map((buffer) => this.buffers.numberOf(buffer));
    for (let i = 0; i < other.length; i++) {
      this.fileIndexes.push(files[other.fileIndexes.array[i]!]!);
      this.lineNumbers.push(other.lineNumbers.array[i]!);
      this.bufferIndexes.push(buffers[other.bufferIndexes.array[i]!]!);
      this.starts.push(other.starts.array[i]!);
      this.ends.push(other.ends.array[i]!);
    }
  }

  /** The columns as they stand (not copied: read them before adding more lines). */
  places(): LinePlaces {
    const { files, buffers, fileIndexes, lineNumbers, bufferIndexes, starts, ends } = this;
    return {
      files: files.keys,
      buffers: buffers.keys,
      fileIndexes: fileIndexes.array,
      lineNumbers: lineNumbers.array,
      bufferIndexes: bufferIndexes.array,
      starts: starts.array,
      ends: ends.array,
    };
  }

  [Symbol.iterator](): Iterator<PatientLine> {
    return linesOf(this.places(), 0, this.length)[Symbol.iterator]();
  }
}
