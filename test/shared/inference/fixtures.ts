/** Test inputs: deterministic pseudo-random feature rows and both onnxruntime flavours. */
import * as ortNode from "onnxruntime-node";
import * as ortWeb from "onnxruntime-web";
import { Random } from "../../../models/cohort/random.ts";
import { FEATURE_SPEC_VERSION, STATIC_COUNT } from "../../../shared/features/spec.ts";
import type { OrtRuntime } from "../../../shared/inference/ort-runtime.ts";
import { type ModelInput, SEQUENCE_LENGTH } from "../../../shared/inference/pack-batch.ts";

// Single-threaded WASM: tests share two cores with other work, and threads need workers.
ortWeb.env.wasm.numThreads = 1;
export const RUNTIMES: Record<"node" | "web", OrtRuntime> = { node: ortNode, web: ortWeb };

/** A seeded uniform [0, 1) generator (the simulator's), so inputs are the same on every run. */
export function prng(seed: number): () => number {
  const random = new Random(seed, 0, 0);
  return () => random.uniform();
}

/** Sparse sequences (about 5% of weeks non-zero) and plausible scaled static values. */
export function randomRows(count: number, seed: number): ModelInput[] {
  const rand = prng(seed);
  return Array.from({ length: count }, () => {
    const sequence = new Float32Array(SEQUENCE_LENGTH);
    for (let i = 0; i < sequence.length; i++) if (rand() < 0.05) sequence[i] = Math.ceil(rand() * 7) / 7;
    const female = rand() < 0.5 ? 1 : 0;
    const bmiMissing = rand() < 0.2 ? 1 : 0;
    const values = [(rand() * 70 + 18 - 50) / 20, female, 1 - female, bmiMissing ? 0 : rand() * 3 - 1, bmiMissing, 1];
    return { specVersion: FEATURE_SPEC_VERSION, sequence, static: new Float32Array(values.slice(0, STATIC_COUNT)) };
  });
}
