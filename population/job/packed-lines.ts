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
 * The reading thread packs each patient as the join yields it (PackBuilder), so the join's
 * columns die young instead of waiting for a whole batch; the scoring thread makes each line's
 * object only as it parses the line (unpackLines), so neither thread holds an object a line
 * (line-columns.ts).
 */
import { LineColumns, linesOf, type LinePlaces } from "../line-columns.ts";
import type { PatientLines } from "../ndjson-patient-lines.ts";

export interface PackedLines extends LinePlaces {
  patientIds: string[];
  /** Lines per patient, in order. */
  lineCounts: Int32Array;
  files: string[];
  /** The memory the lines are in: shared read buffers, and at most one buffer of copied lines. */
  buffers: (SharedArrayBuffer | ArrayBuffer)[];
}

/** Packs patients one at a time; `finish` gives the PackedLines of all of them. */
export class PackBuilder {
  private readonly patientIds: string[] = [];
  private readonly lineCounts: number[] = [];
  private readonly columns = new LineColumns(1024);

  get patients(): number {
    return this.patientIds.length;
  }

  /** The lines of every patient added. */
  get lineCount(): number {
    return this.columns.length;
  }

  add(group: PatientLines): void {
    this.patientIds.push(group.patientId);
    this.lineCounts.push(group.lines.length);
    if (group.lines instanceof LineColumns) this.columns.append(group.lines);
    else for (const line of group.lines) this.columns.push(line);
  }

  finish(): PackedLines {
    const columns = this.columns;
    const bufferIndexes = columns.bufferIndexes.finish();
    const starts = columns.starts.finish();
    const ends = columns.ends.finish();
    return {
      patientIds: this.patientIds,
      lineCounts: Int32Array.from(this.lineCounts),
      files: columns.files.keys,
      buffers: sharedOrCopied(columns.buffers.keys, bufferIndexes, starts, ends),
      fileIndexes: columns.fileIndexes.finish(),
      lineNumbers: columns.lineNumbers.finish(),
      bufferIndexes,
      starts,
      ends,
    };
  }
}

/**
 * The shared buffers, in order, then one buffer with the bytes of every line in another buffer
 * (a transferred buffer is detached from the sender, and would take along whatever else it
 * holds), the lines' places rewritten to match.
 */
function sharedOrCopied(buffers: readonly ArrayBufferLike[], bufferIndexes: Int32Array, starts: Int32Array, ends: Int32Array): (SharedArrayBuffer | ArrayBuffer)[] {
  const kept: SharedArrayBuffer[] = [];
  const newIndexes = buffers.map((buffer) => (buffer instanceof SharedArrayBuffer ? kept.push(buffer) - 1 : -1));
  let copiedBytes = 0;
  for (let i = 0; i < bufferIndexes.length; i++) if (newIndexes[bufferIndexes[i]!] === -1) copiedBytes += ends[i]! - starts[i]!;
  if (copiedBytes === 0 && kept.length === buffers.length) return kept;
  const copy = new Uint8Array(copiedBytes);
  let at = 0;
  for (let i = 0; i < bufferIndexes.length; i++) {
    const index = newIndexes[bufferIndexes[i]!]!;
    if (index !== -1) {
      bufferIndexes[i] = index;
      continue;
    }
    const length = ends[i]! - starts[i]!;
    copy.set(new Uint8Array(buffers[bufferIndexes[i]!]!, starts[i]!, length), at);
    bufferIndexes[i] = kept.length;
    starts[i] = at;
    ends[i] = at += length;
  }
  return [...kept, copy.buffer];
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

/** Each patient's lines, whose objects are made as they are read. */
export function unpackLines(packed: PackedLines): PatientLines[] {
  let next = 0;
  return packed.patientIds.map((patientId, i) => {
    const from = next;
    next += packed.lineCounts[i]!;
    return { patientId, lines: linesOf(packed, from, next) };
  });
}
