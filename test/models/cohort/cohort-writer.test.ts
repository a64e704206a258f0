import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { BlockOptions } from "../../../models/cohort/cohort-blocks.ts";
import { COHORT_FILES, TRUTH_FILE, writeCohort } from "../../../models/cohort/cohort-writer.ts";
import { planCohort, simulateCohort } from "../../../models/cohort/simulate.ts";

/** A sink that keeps what it receives; `delayMs` makes it slow, to exercise backpressure. */
class MemorySink extends Writable {
  chunks: string[] = [];
  maxBuffered = 0;
  constructor(
    private readonly delayMs: number,
    private readonly onChunk: () => void = () => {},
  ) {
    super({ highWaterMark: 16 * 1024, decodeStrings: false });
  }
  override _write(chunk: string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.maxBuffered = Math.max(this.maxBuffered, this.writableLength);
    this.chunks.push(chunk);
    this.onChunk();
    if (this.delayMs > 0) setTimeout(done, this.delayMs);
    else done();
  }
  text(): string {
    return this.chunks.join("");
  }
}

async function writeToMemory(patients: number, seed: number, endDate?: string, blocks: BlockOptions = {}): Promise<Record<string, string>> {
  const sinks = new Map<string, MemorySink>();
  await writeCohort(planCohort({ patients, seed, ...(endDate ? { endDate } : {}) }), {
    ...blocks,
    open: (name) => {
      const sink = new MemorySink(0);
      sinks.set(name, sink);
      return sink;
    },
  });
  return Object.fromEntries([...sinks].map(([name, sink]) => [name, sink.text()]));
}

describe("writeCohort", () => {
  it("is deterministic: same seed and end date, same bytes; another seed or end date, other bytes", async () => {
    const a = await writeToMemory(60, 5);
    const b = await writeToMemory(60, 5);
    expect(Object.keys(a).sort()).toEqual([...COHORT_FILES].sort());
    for (const name of COHORT_FILES) expect(a[name], name).toBe(b[name]);
    expect((await writeToMemory(60, 6))[TRUTH_FILE]).not.toBe(a[TRUTH_FILE]);
    expect((await writeToMemory(60, 5, "2024-06-30"))[TRUTH_FILE]).not.toBe(a[TRUTH_FILE]);
  });

  it("writes the same bytes with worker threads, whatever the block size", async () => {
    const inThread = await writeToMemory(45, 12);
    const pooled = await writeToMemory(45, 12, undefined, { workers: 2, blockSize: 7 });
    for (const name of COHORT_FILES) expect(pooled[name], name).toBe(inThread[name]);
  });

  it("writes the same patients, in the same order in every file, as simulateCohort yields", async () => {
    const files = await writeToMemory(40, 9);
    const lines = (name: string): unknown[] => files[name]!.trimEnd().split("\n").map((l) => JSON.parse(l) as unknown);
    const library = [...simulateCohort({ patients: 40, seed: 9 })];
    expect(lines(TRUTH_FILE)).toEqual(library.map((p) => p.truth));
    const patientOrder = library.map((p) => `Patient/${p.truth.patientId}`);
    for (const type of ["Encounter", "Condition", "Observation"]) {
      const subjects = (lines(`${type}.ndjson`) as { subject: { reference: string } }[]).map((r) => r.subject.reference);
      const firstSeen = [...new Set(subjects)];
      // Merge-joinable: each patient's lines are contiguous and patients come in cohort order.
      expect(firstSeen.length).toBe(subjects.filter((s, i) => i === 0 || s !== subjects[i - 1]).length);
      expect(firstSeen).toEqual(patientOrder.filter((ref) => firstSeen.includes(ref)));
      expect(lines(`${type}.ndjson`)).toEqual(library.flatMap((p) => p.resources.filter((r) => r.resourceType === type)));
    }
  });

  it("streams: output leaves while patients are still being generated, and a slow disk holds the generator back", async () => {
    const patients = 600;
    let generated = 0;
    const generatedAtChunk: number[] = [];
    const sinks: MemorySink[] = [];
    await writeCohort(planCohort({ patients, seed: 3 }), {
      chunkBytes: 32 * 1024,
      onPatient: (done) => (generated = done),
      open: (name) => {
        const sink = new MemorySink(1, name === "Condition.ndjson" ? () => generatedAtChunk.push(generated) : undefined);
        sinks.push(sink);
        return sink;
      },
    });
    expect(generatedAtChunk.length).toBeGreaterThan(20);
    expect(generatedAtChunk[0]).toBeLessThan(patients / 10);
    // Chunks leave all along the run, not in a burst at the end.
    expect(generatedAtChunk[Math.floor(generatedAtChunk.length / 2)]).toBeLessThan(0.75 * patients);
    // Backpressure: a stream never holds more than about one chunk (a chunk closes after the
    // patient that fills it, so it can run one patient's lines over), a sliver of its output.
    const bound = 16 * 1024 + 4 * 32 * 1024;
    for (const sink of sinks) expect(sink.maxBuffered).toBeLessThan(bound);
    expect(Math.max(...sinks.map((sink) => sink.text().length))).toBeGreaterThan(20 * bound);
  });
});
