/**
 * A cohort as a sequence of blocks of consecutive patients, each already serialized to NDJSON
 * text per output file. Blocks are made in this thread, or by worker threads (the CLI uses the
 * machine's cores); either way they come out in patient order and are byte-identical, because
 * every patient is simulated from its own seeded streams.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { RECORD_TYPES } from "./record-builder.ts";
import { simulatePatient, type CohortPlan } from "./simulate.ts";

export const TRUTH_FILE = "truth.ndjson";
export const COHORT_FILES = [...RECORD_TYPES.map((t) => `${t}.ndjson`), TRUTH_FILE] as const;

export interface CohortBlock {
  /** Patients [from, to). */
  from: number;
  to: number;
  /** NDJSON text per file, in COHORT_FILES order. */
  texts: string[];
  /** Lines per file, in COHORT_FILES order. */
  lines: number[];
}

/** Simulates and serializes patients [from, to). */
export function serializeBlock(plan: CohortPlan, from: number, to: number): CohortBlock {
  const parts: string[][] = COHORT_FILES.map(() => []);
  for (let n = from; n < to; n++) {
    const { record, truth } = simulatePatient(plan, n);
    RECORD_TYPES.forEach((type, i) => {
      for (const resource of record[type]) (parts[i] as string[]).push(JSON.stringify(resource), "\n");
    });
    (parts[RECORD_TYPES.length] as string[]).push(JSON.stringify(truth), "\n");
  }
  return { from, to, texts: parts.map((p) => p.join("")), lines: parts.map((p) => p.length / 2) };
}

export interface BlockOptions {
  /** Worker threads; 1 (the default) simulates in this thread. */
  workers?: number;
  /** Patients per block; default 1 in this thread, 64 with workers. */
  blockSize?: number;
}

/** Worker threads to use by default: the machine's cores, at most 4. */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

export async function* cohortBlocks(plan: CohortPlan, options: BlockOptions = {}): AsyncGenerator<CohortBlock> {
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`workers must be a whole number >= 1, got ${workers}`);
  const blockSize = options.blockSize ?? (workers === 1 ? 1 : 64);
  if (workers === 1) {
    for (let from = 0; from < plan.patients; from += blockSize) yield serializeBlock(plan, from, Math.min(plan.patients, from + blockSize));
    return;
  }
  yield* workerBlocks(plan, workers, blockSize);
}

/**
 * Blocks made by a pool of workers. At most two blocks per worker are in flight, so memory is
 * bounded; results are yielded in block order.
 */
async function* workerBlocks(plan: CohortPlan, workers: number, blockSize: number): AsyncGenerator<CohortBlock> {
  const script = new URL("./cohort-worker-boot.mjs", import.meta.url);
  const pool = Array.from({ length: workers }, () => new Worker(script, { workerData: plan }));
  const pending = new Map<number, Promise<CohortBlock>>();
  const blocks = Math.ceil(plan.patients / blockSize);
  let next = 0;
  const request = (block: number): void => {
    const worker = pool[block % workers] as Worker;
    const from = block * blockSize;
    pending.set(
      block,
      new Promise<CohortBlock>((resolve, reject) => {
        const onMessage = (result: CohortBlock): void => {
          if (result.from !== from) return;
          worker.off("error", reject);
          worker.off("message", onMessage);
          resolve(result);
        };
        worker.on("message", onMessage);
        worker.once("error", reject);
        worker.postMessage({ from, to: Math.min(plan.patients, from + blockSize) });
      }),
    );
    // A failure surfaces when its block is awaited; until then it must not count as unhandled.
    pending.get(block)?.catch(() => {});
  };
  try {
    for (; next < Math.min(blocks, 2 * workers); next++) request(next);
    for (let block = 0; block < blocks; block++) {
      const result = await (pending.get(block) as Promise<CohortBlock>);
      pending.delete(block);
      if (next < blocks) request(next++);
      yield result;
    }
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
}
