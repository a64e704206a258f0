/**
 * npm run bench:features: median time of buildFeatures for realistic 3-year records of about
 * 125 to 2000 resources, and the time per resource (flat when the cost grows linearly).
 * Target: under 1 ms median for about 500 resources. No options.
 */
import { performance } from "node:perf_hooks";
import { buildFeatures } from "../shared/features/build-features.ts";
import { realisticRecord } from "../test/support/realistic-record.ts";
import { benchArgs } from "./bench-args.ts";

benchArgs(import.meta.url, { command: "npm run bench:features", options: {} });

const INDEX_DATE = "2024-03-15";
const SIZES = [125, 250, 500, 1000, 2000];
const RECORDS_PER_SIZE = 20;
const WARMUP_ROUNDS = 30;

/** Enough timed calls per size for a stable median, fewer for the larger records. */
const timedRounds = (size: number) => Math.max(20, Math.round(40_000 / size));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function measure(size: number): { medianMs: number; p90Ms: number; minMs: number } {
  const records = Array.from({ length: RECORDS_PER_SIZE }, (_, seed) => realisticRecord(size, INDEX_DATE, seed + 1));
  for (let round = 0; round < WARMUP_ROUNDS; round++) for (const record of records) buildFeatures(record, INDEX_DATE);
  const times: number[] = [];
  for (let round = 0; round < timedRounds(size); round++) {
    for (const record of records) {
      const start = performance.now();
      buildFeatures(record, INDEX_DATE);
      times.push(performance.now() - start);
    }
  }
  times.sort((a, b) => a - b);
  return { medianMs: median(times), p90Ms: times[Math.floor(times.length * 0.9)] ?? 0, minMs: times[0] ?? 0 };
}

console.log(`buildFeatures, ${RECORDS_PER_SIZE} records per size, index date ${INDEX_DATE} (Node ${process.version})`);
// On a shared machine a call longer than a scheduler slice is often preempted, which inflates
// the median of the larger sizes; the minimum shows the cost without contention.
console.log("resources  median ms  p90 ms  min ms  us/resource (median)  us/resource (min)");
for (const size of SIZES) {
  const { medianMs, p90Ms, minMs } = measure(size);
  const perResource = (ms: number) => ((ms * 1000) / size).toFixed(2);
  console.log(
    [
      String(size).padStart(9),
      medianMs.toFixed(3).padStart(9),
      p90Ms.toFixed(3).padStart(6),
      minMs.toFixed(3).padStart(6),
      perResource(medianMs).padStart(20),
      perResource(minMs).padStart(17),
    ].join("  "),
  );
}
