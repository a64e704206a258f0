/**
 * Streams a cohort to NDJSON: one file per resource type plus truth.ndjson, patients in the same
 * order in every file. Text is gathered into chunks of about `chunkBytes` per file; a chunk is
 * handed to its stream as soon as it is full, and when a stream reports that its buffer is full
 * the generator waits for it to drain (backpressure), so memory stays bounded whatever the size
 * of the cohort.
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import { COHORT_FILES, cohortBlocks, type BlockOptions } from "./cohort-blocks.ts";
import type { CohortPlan } from "./simulate.ts";

export { COHORT_FILES, TRUTH_FILE } from "./cohort-blocks.ts";

export interface WriteCohortOptions extends BlockOptions {
  /** Opens the stream of one output file (e.g. fs.createWriteStream in the output folder). */
  open: (fileName: string) => Writable;
  /** Bytes gathered per file before a write; default 256 KiB. */
  chunkBytes?: number;
  /** Called after each block of patients is generated (progress). */
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

  add(text: string, lines: number): void {
    this.parts.push(text);
    this.size += text.length;
    this.lines += lines;
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
  const files = COHORT_FILES.map((name) => new ChunkedFile(options.open(name)));
  try {
    for await (const block of cohortBlocks(plan, options)) {
      files.forEach((file, i) => file.add(block.texts[i] as string, block.lines[i] as number));
      options.onPatient?.(block.to);
      for (const file of files) if (file.full(chunkBytes)) await file.flush();
    }
    for (const file of files) await file.close();
  } catch (error) {
    for (const file of files) file.stream.destroy();
    throw error;
  }
  const lines: Record<string, number> = {};
  COHORT_FILES.forEach((name, i) => (lines[name] = (files[i] as ChunkedFile).lines));
  return { patients: plan.patients, lines, seconds: (performance.now() - started) / 1000 };
}
