/**
 * The scoring worker threads (one per core by default) and the batches in flight between them
 * and the reading thread.
 */
import { Worker } from "node:worker_threads";
import type { RiskModelInfo } from "../../shared/inference/index.ts";
import { transferables } from "./packed-lines.ts";
import type { ScoreSettings } from "./score-settings.ts";
import type { LinesContext, ScoredBatch, ScoreRequest, WorkerReply } from "./worker-messages.ts";

/**
 * A worker parses a batch of lines into objects that all die once the batch is scored: a young
 * generation that holds a batch's garbage lets most of it go in few cheap scavenges instead of
 * many (V8's default is a few MB).
 */
const YOUNG_GENERATION_MB = 64;

interface Slot {
  worker: Worker;
  inFlight: Map<number, { resolve: (scored: ScoredBatch) => void; reject: (error: Error) => void }>;
}

export class ScoringPool {
  private nextBatch = 0;

  private constructor(
    private readonly slots: Slot[],
    readonly model: RiskModelInfo,
  ) {}

  /** Starts `size` workers and waits until each has loaded the model (or one failed to). */
  static async start(settings: ScoreSettings, size: number): Promise<ScoringPool> {
    const script = new URL("./score-worker-boot.mjs", import.meta.url);
    const options = { workerData: settings, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } };
    const slots: Slot[] = Array.from({ length: size }, () => ({ worker: new Worker(script, options), inFlight: new Map() }));
    try {
      const infos = await Promise.all(slots.map((slot) => ready(slot.worker)));
      for (const slot of slots) listen(slot);
      return new ScoringPool(slots, infos[0]!);
    } catch (error) {
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
      throw error;
    }
  }

  /** Batches sent and not yet answered. */
  get pending(): number {
    return this.slots.reduce((sum, slot) => sum + slot.inFlight.size, 0);
  }

  /** Tells every worker how to assemble patients sent as lines; before the first such batch. */
  setLinesContext(context: LinesContext): void {
    for (const slot of this.slots) slot.worker.postMessage(context);
  }

  /** Scores a batch on the worker with the fewest batches in flight. */
  score(request: Omit<ScoreRequest, "kind" | "batch">): Promise<ScoredBatch> {
    const slot = this.slots.reduce((best, s) => (s.inFlight.size < best.inFlight.size ? s : best));
    const batch = this.nextBatch++;
    return new Promise((resolve, reject) => {
      slot.inFlight.set(batch, { resolve, reject });
      slot.worker.postMessage({ kind: "score", batch, ...request } satisfies ScoreRequest, [...transferables(request.lines), ...transferables(request.countOnly)]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}

function ready(worker: Worker): Promise<RiskModelInfo> {
  return new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", (reply: WorkerReply) => {
      worker.off("error", reject);
      if (reply.kind === "ready") resolve(reply.model);
      else reject(new Error(reply.kind === "failed" ? `scoring worker could not start: ${reply.message}` : "scoring worker answered before it was ready"));
    });
  });
}

function listen(slot: Slot): void {
  const failAll = (error: Error) => {
    for (const { reject } of slot.inFlight.values()) reject(error);
    slot.inFlight.clear();
  };
  slot.worker.on("message", (reply: WorkerReply) => {
    if (reply.kind === "ready") return;
    const waiting = slot.inFlight.get(reply.batch);
    if (waiting === undefined) return;
    slot.inFlight.delete(reply.batch);
    if (reply.kind === "scored") waiting.resolve({ results: reply.results, input: reply.input });
    else waiting.reject(new Error(`scoring failed: ${reply.message}`));
  });
  slot.worker.on("error", failAll);
  slot.worker.on("exit", (code) => failAll(new Error(`scoring worker exited with code ${code}`)));
}
