/**
 * The scoring run of `npm run population` as the population benchmarks run it: the whole
 * population of `inputDir`, the shipped model, a fixed index date and threshold, progress lines
 * to stderr.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { lineProgress } from "../population/job/progress.ts";
import { runJob } from "../population/job/run-job.ts";
import { WHOLE_POPULATION } from "../population/job/shard.ts";

const REPO = fileURLToPath(new URL("../", import.meta.url));

export function scorePopulation(inputDir: string, outDir: string, workers: number): ReturnType<typeof runJob> {
  return runJob({
    inputDir,
    outDir,
    source: inputDir,
    dataTime: null,
    exportErrorOutcomes: null,
    settings: { modelPath: join(REPO, "models/deep-koa/deep-koa.onnx"), indexDate: "2026-01-01", explainFrom: 0.05, includeNames: false },
    shard: WHOLE_POPULATION,
    selection: { threshold: 0.05, top: null },
    workers,
    progress: lineProgress(process.stderr),
  });
}
