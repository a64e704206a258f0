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
import { CODES, condition, encounter, patient } from "../../support/fhir-builders.ts";
import { klGradeObservations } from "../../support/imaging-examples.ts";
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

/**
 * Adds imaging AI KL grades to a simulated population (the simulator writes none), in
 * ImagingResults.ndjson: every tenth patient gets a left knee graded 2 to 4 on 2025-06-01, before
 * INDEX_DATE, so that the imaging list and its Group hold patients. Returns their ids.
 */
export function addKlGrades(population: ReturnType<typeof simulatedPopulation>): string[] {
  const graded = population.byType.get("Patient")!.filter((_, i) => i % 10 === 0).map((p) => p.id!);
  const grades = graded.flatMap((id, i) => klGradeObservations(id, [{ side: "left", grade: 2 + (i % 3) }], { day: "2025-06-01" }));
  writeFileSync(join(population.dir, "ImagingResults.ndjson"), grades.map((r) => `${JSON.stringify(r)}\n`).join(""));
  return graded;
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

/** A run's outputs as the flag tests compare them. */
export interface RunOutputs {
  dir: string;
  /** high-risk.csv's data rows, riskiest first. */
  rows: string[];
  /** Each RiskAssessment's prediction, in file order. */
  risks: unknown[];
}

function outputsOf(dir: string): RunOutputs {
  const rows = read(dir, "high-risk.csv").trim().split("\r\n").slice(1);
  const risks = read(dir, "risk-assessments.ndjson").trim().split("\n").map((line) => JSON.parse(line).prediction);
  return { dir, rows, risks };
}

/**
 * Scores a simulated population (20 patients, seed 7), then again with one more NDJSON file of
 * `resourcesFor(listed)`, listed being the first listed patient's id: how a test shows that
 * context resources (KL grades, Procedures) flag that patient and change no risk. A file of its own
 * keeps the input ordered by patient (the merge join: the scoring threads assemble the records).
 */
export async function scoreWithAddedFile(fileName: string, resourcesFor: (listed: string) => readonly object[]) {
  const input = simulatedPopulation(20, 7);
  const without = tempDir("patella-flag-out-");
  await scorePopulation(input.dir, without);
  const before = outputsOf(without);
  const listed = before.rows[0]!.split(",")[1]!;
  writeFileSync(join(input.dir, fileName), resourcesFor(listed).map((r) => `${JSON.stringify(r)}\n`).join(""));
  const withFile = tempDir("patella-flag-out-");
  await scorePopulation(input.dir, withFile);
  return { listed, without: before, with: outputsOf(withFile) };
}

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

/** A record the feature builder makes something of, for the tests of a flag's context resources:
 * patient p1, a woman of 64 at 2025-01-01, with visits and diagnoses. */
export const flaggedRecordInput = (): Resource[] => [
  patient({ id: "p1", birthDate: "1960-05-20", gender: "female" }),
  encounter("2019-03-01", { id: "e1" }),
  encounter("2023-11-20", { id: "e2" }),
  condition(CODES.aclInjury, { onsetDateTime: "2023-11-20" }),
  condition(CODES.hypertension, { onsetDateTime: "2019-03-01" }),
];
