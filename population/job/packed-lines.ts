/**
 * Patients' NDJSON lines packed for a scoring thread: the lines' bytes one after another in one
 * buffer, handed over without a copy (transferred), and flat arrays for the patients and
 * places. Sending one buffer costs the reading thread far less than cloning thousands of lines.
 *
 * The reading thread packs each patient as the join yields it (PackBuilder), so the join's
 * line objects die young instead of waiting for a whole batch: only a view per run of lines is
 * kept. Lines that follow each other in the file they were read from (a patient's lines mostly
 * do) make one run, copied in one go with the newline between them, which `starts` and `ends`
 * step over.
 */
import type { PatientLines } from "../ndjson-patient-lines.ts";

export interface PackedLines {
  patientIds: string[];
  /** Lines per patient, in order. */
  lineCounts: Int32Array;
  files: string[];
  /** Per line: index into `files`, the 1-based line number, and where its bytes start and end in `bytes`. */
  fileIndexes: Int32Array;
  lineNumbers: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
  bytes: Uint8Array;
}

/** Lines closer than this in the same read buffer are copied together (a newline, or \r\n, apart). */
const MAX_GAP = 2;

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

/** Packs patients one at a time; `finish` gives the PackedLines of all of them. */
export class PackBuilder {
  private readonly patientIds: string[] = [];
  private readonly lineCounts: number[] = [];
  private readonly files: string[] = [];
  private readonly fileIndex = new Map<string, number>();
  private readonly fileIndexes = new Int32List();
  private readonly lineNumbers = new Int32List();
  private readonly starts = new Int32List();
  private readonly ends = new Int32List();
  /** Runs of lines to copy into the packed bytes at the end (views of the read buffers). */
  private readonly runs: Uint8Array[] = [];
  private used = 0;
  /** The run of source bytes not yet copied: [runStart, runEnd) of runSource, to go at runAt. */
  private runSource: Uint8Array | null = null;
  private runStart = 0;
  private runEnd = 0;
  private runAt = 0;
  private lastFile = "";
  private lastFileIndex = -1;

  get patients(): number {
    return this.patientIds.length;
  }

  add(group: PatientLines): void {
    this.patientIds.push(group.patientId);
    this.lineCounts.push(group.lines.length);
    for (const { bytes, file, line } of group.lines) {
      if (file !== this.lastFile) {
        let index = this.fileIndex.get(file);
        if (index === undefined) {
          index = this.files.push(file) - 1;
          this.fileIndex.set(file, index);
        }
        this.lastFile = file;
        this.lastFileIndex = index;
      }
      this.fileIndexes.push(this.lastFileIndex);
      this.lineNumbers.push(line);
      const gap = bytes.byteOffset - this.runEnd;
      if (this.runSource !== null && bytes.buffer === this.runSource.buffer && gap >= 0 && gap <= MAX_GAP) {
        // Follows the run in the same read buffer: extend it.
        const start = this.runAt + (bytes.byteOffset - this.runStart);
        this.starts.push(start);
        this.ends.push(start + bytes.length);
        this.runEnd = bytes.byteOffset + bytes.length;
      } else {
        this.flushRun();
        this.runSource = bytes;
        this.runStart = bytes.byteOffset;
        this.runEnd = bytes.byteOffset + bytes.length;
        this.runAt = this.used;
        this.starts.push(this.used);
        this.ends.push(this.used + bytes.length);
      }
    }
    this.flushRun();
  }

  private flushRun(): void {
    if (this.runSource === null) return;
    const length = this.runEnd - this.runStart;
    this.runs.push(new Uint8Array(this.runSource.buffer, this.runStart, length));
    this.used += length;
    this.runSource = null;
  }

  finish(): PackedLines {
    this.flushRun();
    // One buffer of the exact size: growing one as patients come costs more in copies and in
    // collections (each new buffer is external memory to V8).
    const bytes = new Uint8Array(this.used);
    let at = 0;
    for (const run of this.runs) {
      bytes.set(run, at);
      at += run.length;
    }
    return {
      patientIds: this.patientIds,
      lineCounts: Int32Array.from(this.lineCounts),
      files: this.files,
      fileIndexes: this.fileIndexes.finish(),
      lineNumbers: this.lineNumbers.finish(),
      starts: this.starts.finish(),
      ends: this.ends.finish(),
      bytes,
    };
  }
}

export function packLines(groups: readonly PatientLines[]): PackedLines {
  const builder = new PackBuilder();
  for (const group of groups) builder.add(group);
  return builder.finish();
}

/** The buffers a message carrying `packed` can transfer instead of copying. */
export function transferables(packed: PackedLines): ArrayBuffer[] {
  return [packed.lineCounts, packed.fileIndexes, packed.lineNumbers, packed.starts, packed.ends, packed.bytes].map((array) => array.buffer as ArrayBuffer);
}

export function unpackLines(packed: PackedLines): PatientLines[] {
  let next = 0;
  return packed.patientIds.map((patientId, i) => {
    const lines = [];
    for (const last = next + packed.lineCounts[i]!; next < last; next += 1) {
      lines.push({ bytes: packed.bytes.subarray(packed.starts[next]!, packed.ends[next]!), file: packed.files[packed.fileIndexes[next]!]!, line: packed.lineNumbers[next]! });
    }
    return { patientId, lines };
  });
}
