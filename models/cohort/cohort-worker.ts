/** Worker thread of cohortBlocks: simulates the blocks of patients it is asked for. */
import { parentPort, workerData } from "node:worker_threads";
import { serializeBlock } from "./cohort-blocks.ts";
import type { CohortPlan } from "./simulate.ts";

const plan = workerData as CohortPlan;
parentPort?.on("message", ({ from, to }: { from: number; to: number }) => {
  parentPort?.postMessage(serializeBlock(plan, from, to));
});
