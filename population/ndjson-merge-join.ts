/**
 * Grouping NDJSON by patient without holding more than one patient in memory: when every file
 * lists its resources in the order of the Patient files (as the cohort simulator and many
 * exporters write them), one cursor per file advances in step with the Patient stream.
 *
 * A file that breaks the order (a patient seen after the stream has passed it, resources of a
 * patient with no Patient line, other types inside a Patient file, a Patient listed again after
 * other patients) raises NotOrderedError; the caller runs the join once as a dry run (on cheaply
 * read items, ndjson-quick-place.ts) to find out before yielding anything.
 *
 * One exception: a line of a Patient file that names no patient (an unreadable line, cut short
 * or not JSON, which the reader reports as a bad line) may have been a Patient. The resources of
 * one patient the other files hold in its place are then that patient's, without their Patient:
 * they are yielded as such, as the spill groups them, rather than taken for disorder, which
 * cost a whole second read and scoring of the input for one corrupted line.
 *
 * Memory: one patient's items, in what `collect` makes (the population reader keeps lines as
 * columns of numbers, line-columns.ts), plus the ids of the patients yielded (about 80 bytes each): a
 * repeated Patient far from its first line would otherwise be yielded again as a record of that
 * Patient alone, the other files' cursors having passed it, and scored as a patient without data.
 */

import { basename } from "node:path";
import { entryLabel } from "./input-file-label.ts";

export class NotOrderedError extends Error {
  constructor(detail: string) {
    super(`NDJSON files are not ordered by patient: ${detail}`);
    this.name = "NotOrderedError";
  }
}

/** Where a patient's items are collected: an array, or anything else with `push`. */
export interface ItemSink<T> {
  push(item: T): unknown;
}

/** How the join reads items (parsed resources, or cheaper stand-ins for a dry run). */
export interface MergeJoinInput<T, G extends ItemSink<T>> {
  patientFiles: readonly string[];
  otherFiles: readonly string[];
  /** The file's items, a batch (e.g. a chunk read) at a time. */
  read: (file: string) => AsyncGenerator<T[]>;
  /** The patient an item belongs to, or null (shared or skipped: passed over; in a Patient file,
   * one that may have been a Patient, above). Called once per item. */
  place: (item: T) => string | null;
  /** The item's resource type, to find Patients and to name an item out of order (on stderr, so
   * named as reports name it: reported-type.ts). */
  typeOf: (item: T) => string;
  /** A new, empty collection for one patient's items. */
  collect: () => G;
}

interface Placed<T> {
  item: T;
  patientId: string;
}

/** Reads one file, passing over items that belong to no patient. */
class PatientCursor<T> {
  private readonly batches: AsyncGenerator<T[]>;
  private batch: T[] = [];
  private next = 0;
  private head: Placed<T> | null = null;
  private done = false;

  constructor(
    file: string,
    private readonly input: MergeJoinInput<T, ItemSink<T>>,
  ) {
    this.batches = input.read(file);
  }

  /** The next item that belongs to a patient, or null at the end of the file. Awaits only to
   * read the next batch. */
  peek(): Placed<T> | null | Promise<Placed<T> | null> {
    while (this.head === null && this.next < this.batch.length) {
      const item = this.batch[this.next++]!;
      const patientId = this.input.place(item);
      if (patientId !== null) this.head = { item, patientId };
    }
    if (this.head !== null || this.done) return this.head;
    return this.readBatch().then(() => this.peek());
  }

  private async readBatch(): Promise<void> {
    const next = await this.batches.next();
    if (next.done === true) this.done = true;
    else {
      this.batch = next.value;
      this.next = 0;
    }
  }

  take(): void {
    this.head = null;
  }

  async close(): Promise<void> {
    await this.batches.return(undefined);
  }
}

/** The Patient files' items in order; null for one that names no patient (it may have been a Patient). */
async function* patientStream<T>(input: MergeJoinInput<T, ItemSink<T>>): AsyncGenerator<(Placed<T> | null)[]> {
  for (const file of input.patientFiles) {
    for await (const batch of input.read(file)) {
      const placed: (Placed<T> | null)[] = [];
      for (const item of batch) {
        const patientId = input.place(item);
        if (patientId !== null && input.typeOf(item) !== "Patient") throw new NotOrderedError(`a ${input.typeOf(item)} inside a Patient file`);
        placed.push(patientId === null ? null : { item, patientId });
      }
      yield placed;
    }
  }
}

/** The items of one patient from every cursor, appended to `items`. */
async function drainPatient<T>(cursors: readonly PatientCursor<T>[], patientId: string, items: ItemSink<T>): Promise<void> {
  for (const cursor of cursors) {
    for (let head = cursor.peek(); ; head = cursor.peek()) {
      // Awaited only when the cursor must read its next batch.
      if (head instanceof Promise) head = await head;
      if (head?.patientId !== patientId) break;
      items.push(head.item);
      cursor.take();
    }
  }
}

/**
 * The patients whose items the cursors hold where `unplaced` lines of a Patient file named no
 * patient (before the Patient `next`, or at the end: null): at most one a line, each with their
 * items from every cursor. A patient already yielded is left where it is, for the check at the
 * end to find out of order; so is one whose Patient is still to come in the batch of Patients
 * read (`coming`): when neither the unreadable line's patient nor `next` has a resource, the
 * heads are a later patient's, who must not be taken for the unreadable line's.
 */
async function* patientsWithoutTheirLine<T, G extends ItemSink<T>>(
  cursors: readonly PatientCursor<T>[],
  next: string | null,
  unplaced: number,
  coming: (patientId: string) => boolean,
  yielded: Set<string>,
  input: MergeJoinInput<T, G>,
): AsyncGenerator<{ patientId: string; items: G }> {
  for (let left = unplaced; left > 0; left--) {
    let patientId: string | null = null;
    for (const cursor of cursors) {
      const head = await cursor.peek();
      if (head !== null && head.patientId !== next) {
        patientId = head.patientId;
        break;
      }
    }
    if (patientId === null || yielded.has(patientId) || coming(patientId)) return;
    const items = input.collect();
    await drainPatient(cursors, patientId, items);
    yielded.add(patientId);
    yield { patientId, items };
  }
}

/**
 * Yields each patient's items (Patient first, when there is one: above) in the order of the
 * Patient files. A Patient line repeated right after itself (a paged export's overlap) joins the
 * same group, as in the spill: yielding it alone would give a second, empty record of that patient.
 */
export async function* mergeJoin<T, G extends ItemSink<T>>(input: MergeJoinInput<T, G>): AsyncGenerator<{ patientId: string; items: G }> {
  const cursors = input.otherFiles.map((file) => new PatientCursor(file, input));
  const yielded = new Set<string>();
  try {
    // A cast, not an annotation: assigned only inside the loop, `= null` would narrow it to null.
    let group = null as { patientId: string; items: G } | null;
    // Lines of the Patient files that named no patient since the last Patient.
    let unplaced = 0;
    for await (const patients of patientStream(input)) {
      for (const [at, patient] of patients.entries()) {
        if (patient === null) {
          unplaced += 1;
          continue;
        }
        if (group?.patientId === patient.patientId) {
          group.items.push(patient.item);
          continue;
        }
        if (group !== null) {
          await drainPatient(cursors, group.patientId, group.items);
          yielded.add(group.patientId);
          yield group;
        }
        if (unplaced > 0) {
          const coming = (id: string) => patients.some((later, i) => i > at && later?.patientId === id);
          yield* patientsWithoutTheirLine(cursors, patient.patientId, unplaced, coming, yielded, input);
        }
        unplaced = 0;
        if (yielded.has(patient.patientId)) throw new NotOrderedError("a Patient listed again after other patients");
        group = { patientId: patient.patientId, items: input.collect() };
        group.items.push(patient.item);
      }
    }
    if (group !== null) {
      await drainPatient(cursors, group.patientId, group.items);
      yielded.add(group.patientId);
      yield group;
    }
    yield* patientsWithoutTheirLine(cursors, null, unplaced, () => false, yielded, input);
    for (const [i, cursor] of cursors.entries()) {
      const left = await cursor.peek();
      if (left !== null) {
        throw new NotOrderedError(`${entryLabel(basename(input.otherFiles[i]!))} has a line (${input.typeOf(left.item)}) of a patient out of order`);
      }
    }
  } finally {
    await Promise.all(cursors.map((cursor) => cursor.close()));
  }
}
