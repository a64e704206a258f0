/** Populations and runs for the population job tests. */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Resource } from "fhir/r4";
import { simulateCohort } from "../../../models/cohort/simulate.ts";
import { lineProgress } from "../../../population/job/progress.ts";
import { runJob, type JobOptions } from "../../../population/job/run-job.ts";
import { WHOLE_POPULATION } from "../../../population/job/shard.ts";
import { tempDir } from "../fixtures.ts";

export const REPO = fileURLToPath(new URL("../../../", import.meta.url));
export const MODEL = join(REPO, "models/deep-koa/deep-koa.onnx");
/** The simulator's records end on 2025-12-31; the risk is for the year after. */
export const INDEX_DATE = "2026-01-01";

/** A simulated population as Bulk Data style NDJSON (one file per type, ordered by patient). */
export function simulatedPopulation(patients: number, seed: number): { dir: string; byType: Map<string, Resource[]> } {
  const byType = new Map<string, Resource[]>();
  for (const { resources } of simulateCohort({ patients, seed })) {
    for (const resource of resources) {
      const list = byType.get(resource.resourceType) ?? [];
      list.push(resource);
      byType.set(resource.resourceType, list);
    }
  }
  const dir = tempDir("patella-job-in-");
  for (const [type, resources] of byType) writeFileSync(join(dir, `${type}.ndjson`), resources.map((r) => `${JSON.stringify(r)}\n`).join(""));
  return { dir, byType };
}

/** Runs the job in this process (the scoring threads are real workers), progress to a sink. */
export function scorePopulation(inputDir: string, outDir: string, overrides: Partial<JobOptions> = {}) {
  const log: string[] = [];
  return runJob({
    inputDir,
    outDir,
    source: inputDir,
    dataTime: null,
    exportErrorOutcomes: null,
    settings: { modelPath: MODEL, indexDate: INDEX_DATE, explainFrom: 0.01, includeNames: false },
    shard: WHOLE_POPULATION,
    selection: { threshold: 0.01, top: null },
    workers: 1,
    batchSize: 16,
    progress: lineProgress({ write: (line: string) => log.push(line) } as unknown as NodeJS.WritableStream),
    ...overrides,
  });
}

export const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");

/** `npm run population` as a child process. */
export function populationCli(args: string[]): { child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ["--import", "tsx", join(REPO, "population/job/cli.ts"), ...args], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** `npm run population` with `args`, sent `signal` (SIGKILL unless told) once `ready()` holds
 * (checked every `pollMs`, for at most two minutes): an interrupted run, for the resume tests. */
export async function killPopulationCliWhen(args: string[], ready: () => boolean, pollMs: number, signal: NodeJS.Signals = "SIGKILL") {
  const run = populationCli(args);
  const deadline = Date.now() + 120_000;
  while (!ready() && Date.now() < deadline) await new Promise((r) => setTimeout(r, pollMs));
  run.child.kill(signal);
  return run.done;
}
