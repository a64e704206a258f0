/**
 * Grouping NDJSON by patient without holding more than one patient in memory: when every file
 * lists its resources in the order of the Patient files (as the cohort simulator and many
 * exporters write them), one cursor per file advances in step with the Patient stream.
 *
 * A file that breaks the order (a patient seen after the stream has passed it, resources of a
 * patient with no Patient line, other types inside a Patient file) raises NotOrderedError; the
 * caller runs the join once as a dry run to find out before yielding anything.
 */
import type { Resource } from "fhir/r4";
import type { Placement } from "./record-assembler.ts";
import { readNdjsonFile, type BadLinePolicy } from "./ndjson-lines.ts";

export class NotOrderedError extends Error {
  constructor(detail: string) {
    super(`NDJSON files are not ordered by patient: ${detail}`);
    this.name = "NotOrderedError";
  }
}

/** How the join reads and sorts resources; `place` is called exactly once per resource. */
export interface MergeJoinInput {
  patientFiles: readonly string[];
  otherFiles: readonly string[];
  policy: BadLinePolicy;
  place: (resource: Resource) => Placement;
}

interface Placed {
  resource: Resource;
  patientId: string;
}

/** Reads one file, hiding resources that belong to no patient (they are placed as they pass). */
class PatientCursor {
  private readonly items: AsyncGenerator<{ resource: Resource }>;
  private head: Placed | null = null;
  private done = false;

  constructor(
    file: string,
    private readonly input: MergeJoinInput,
  ) {
    this.items = readNdjsonFile(file, input.policy);
  }

  /** The next resource that belongs to a patient, or null at the end of the file. */
  async peek(): Promise<Placed | null> {
    while (this.head === null && !this.done) {
      const next = await this.items.next();
      if (next.done === true) {
        this.done = true;
        break;
      }
      const placement = this.input.place(next.value.resource);
      if (placement !== null) this.head = { resource: next.value.resource, patientId: placement.patientId };
    }
    return this.head;
  }

  take(): void {
    this.head = null;
  }

  async close(): Promise<void> {
    await this.items.return(undefined);
  }
}

async function* patientStream(input: MergeJoinInput): AsyncGenerator<Placed> {
  for (const file of input.patientFiles) {
    for await (const item of readNdjsonFile(file, input.policy)) {
      const placement = input.place(item.resource);
      if (placement === null) continue;
      if (item.resource.resourceType !== "Patient") {
        throw new NotOrderedError(`${item.resource.resourceType} at ${item.file}:${item.line} inside a Patient file`);
      }
      yield { resource: item.resource, patientId: placement.patientId };
    }
  }
}

/** Yields each patient's resources (Patient first) in the order of the Patient files. */
export async function* mergeJoin(input: MergeJoinInput): AsyncGenerator<{ patientId: string; resources: Resource[] }> {
  const cursors = input.otherFiles.map((file) => new PatientCursor(file, input));
  try {
    for await (const patient of patientStream(input)) {
      const resources: Resource[] = [patient.resource];
      for (const cursor of cursors) {
        for (let head = await cursor.peek(); head?.patientId === patient.patientId; head = await cursor.peek()) {
          resources.push(head.resource);
          cursor.take();
        }
      }
      yield { patientId: patient.patientId, resources };
    }
    for (const [i, cursor] of cursors.entries()) {
      const left = await cursor.peek();
      if (left !== null) {
        throw new NotOrderedError(`${input.otherFiles[i]} has a ${left.resource.resourceType} of a patient out of order`);
      }
    }
  } finally {
    await Promise.all(cursors.map((cursor) => cursor.close()));
  }
}
