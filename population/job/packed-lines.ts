/**
 * Patients' NDJSON lines packed for a scoring thread: the lines' bytes one after another in one
 * buffer, handed over without a copy (transferred), and flat arrays for the patients and
 * places. Sending one buffer costs the reading thread far less than cloning thousands of lines.
 */
import type { PatientLines } from "../ndjson-patient-lines.ts";

export interface PackedLines {
  patientIds: string[];
  /** Lines per patient, in order. */
  lineCounts: Int32Array;
  files: string[];
  /** Per line: index into `files`, the 1-based line number, and where its bytes end in `bytes`. */
  fileIndexes: Int32Array;
  lineNumbers: Int32Array;
  ends: Int32Array;
  bytes: Uint8Array;
}

export function packLines(groups: readonly PatientLines[]): PackedLines {
  const files: string[] = [];
  const fileIndex = new Map<string, number>();
  const lines = groups.flatMap((group) => group.lines);
  const fileIndexes = new Int32Array(lines.length);
  const lineNumbers = new Int32Array(lines.length);
  const ends = new Int32Array(lines.length);
  const bytes = new Uint8Array(lines.reduce((sum, { bytes }) => sum + bytes.length, 0));
  let end = 0;
  for (const [i, line] of lines.entries()) {
    let index = fileIndex.get(line.file);
    if (index === undefined) {
      index = files.push(line.file) - 1;
      fileIndex.set(line.file, index);
    }
    fileIndexes[i] = index;
    lineNumbers[i] = line.line;
    bytes.set(line.bytes, end);
    end += line.bytes.length;
    ends[i] = end;
  }
  return { patientIds: groups.map((group) => group.patientId), lineCounts: Int32Array.from(groups, (group) => group.lines.length), files, fileIndexes, lineNumbers, ends, bytes };
}

/** The buffers a message carrying `packed` can transfer instead of copying. */
export function transferables(packed: PackedLines): ArrayBuffer[] {
  return [packed.lineCounts, packed.fileIndexes, packed.lineNumbers, packed.ends, packed.bytes].map((array) => array.buffer as ArrayBuffer);
}

export function unpackLines(packed: PackedLines): PatientLines[] {
  let next = 0;
  return packed.patientIds.map((patientId, i) => {
    const lines = [];
    for (const last = next + packed.lineCounts[i]!; next < last; next += 1) {
      const start = next === 0 ? 0 : packed.ends[next - 1]!;
      lines.push({ bytes: packed.bytes.subarray(start, packed.ends[next]!), file: packed.files[packed.fileIndexes[next]!]!, line: packed.lineNumbers[next]! });
    }
    return { patientId, lines };
  });
}
