/**
 * Streams a cohort to NDJSON: one file per resource type plus truth.ndjson, patients in the same
 * order in every file. Lines are gathered into chunks of about `chunkBytes` per file; a chunk is
 * handed to its stream as soon as it is full, and when a stream reports that its buffer is full
 * the generator waits for it to drain (backpressure), so memory stays bounded whatever the size
 * of the cohort.
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import { RECORD_TYPES } from "./record-builder.ts";
import { simulatePatient, type CohortPlan } from "./simulate.ts";

export const TRUTH_FILE = "truth.ndjson";
export const COHORT_FILES = [...RECORD_TYPES.map((t) => `${t}.ndjson`), TRUTH_FILE] as const;

export interface WriteCohortOptions {
  /** Opens the stream of one output file (e.g. fs.createWriteStream in the output folder). */
  open: (fileName: string) => Writable;
  /** Bytes gathered per file before a write; default 256 KiB. */
  chunkBytes?: number;
  /** Called after each patient is generated (progress). */
  onPatient?: (patientsDone: number) => void;
}

export interface CohortSummary {
  patients: number;
  /** Lines written per file name. */
  lines: Record<string, number>;
  seconds: number;
}

class ChunkedFile {
  private parts: string[] = [];
  private size = 0;
  lines = 0;
  constructor(readonly stream: Writable) {}

  add(line: string): void {
    this.parts.push(line, "\n");
    this.size += line.length + 1;
    this.lines++;
  }

  full(chunkBytes: number): boolean {
    return this.size >= chunkBytes;
  }

  /** Writes what is gathered; resolves once the stream can take more. */
  async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.parts.join("");
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, "drain");
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    if (!this.stream.writableFinished) await once(this.stream, "finish");
  }
}

export async function writeCohort(plan: CohortPlan, options: WriteCohortOptions): Promise<CohortSummary> {
  const started = performance.now();
  const chunkBytes = options.chunkBytes ?? 256 * 1024;
  const files = new Map(COHORT_FILES.map((name) => [name, new ChunkedFile(options.open(name))]));
  const byType = RECORD_TYPES.map((type) => ({ type, file: files.get(`${type}.ndjson`) as ChunkedFile }));
  const truthFile = files.get(TRUTH_FILE) as ChunkedFile;
  try {
    for (let n = 0; n < plan.patients; n++) {
      const { record, truth } = simulatePatient(plan, n);
      for (const { type, file } of byType) for (const resource of record[type]) file.add(JSON.stringify(resource));
      truthFile.add(JSON.stringify(truth));
      options.onPatient?.(n + 1);
      for (const file of files.values()) if (file.full(chunkBytes)) await file.flush();
    }
    for (const file of files.values()) await file.close();
  } catch (error) {
    for (const file of files.values()) file.stream.destroy();
    throw error;
  }
  const lines: Record<string, number> = {};
  for (const [name, file] of files) lines[name] = file.lines;
  return { patients: plan.patients, lines, seconds: (performance.now() - started) / 1000 };
}
