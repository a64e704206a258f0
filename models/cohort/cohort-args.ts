/** The cohort command line: --patients N --seed S --out DIR [--end-date YYYY-MM-DD] [--workers W]. */
import { parseArgs } from "node:util";
import { defaultWorkers } from "./cohort-blocks.ts";
import { planCohort, type CohortPlan } from "./simulate.ts";

export const COHORT_USAGE = `usage: npm run cohort -- --patients N --seed S --out DIR [--end-date YYYY-MM-DD] [--workers W] [--help]

  --patients N             how many patients to simulate
  --seed S                 random seed: the same seed gives the same bytes
  --out DIR                folder for the FHIR NDJSON files (one per resource type) and truth.ndjson
  --end-date YYYY-MM-DD    last day of the simulated records (default 2025-12-31)
  --workers W              worker threads (default: the machine's cores, at most 4); the output does not depend on it
  --help, -h               print this text`;

export interface CohortArgs {
  plan: CohortPlan;
  out: string;
  /** Worker threads (default: the machine's cores, at most 4); the output does not depend on it. */
  workers: number;
}

function wholeNumber(name: string, text: string | undefined): number {
  if (text === undefined) throw new Error(`--${name} is required`);
  if (!/^\d+$/.test(text)) throw new Error(`--${name} must be a whole number, got "${text}"`);
  return Number(text);
}

/** Reads the command line into a plan, an output folder and a worker count, or throws a message for the user. */
export function parseCohortArgs(argv: readonly string[]): CohortArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: { patients: { type: "string" }, seed: { type: "string" }, out: { type: "string" }, "end-date": { type: "string" }, workers: { type: "string" } },
    strict: true,
    allowPositionals: false,
  });
  if (values.out === undefined || values.out === "") throw new Error("--out is required");
  const plan = planCohort({
    patients: wholeNumber("patients", values.patients),
    seed: wholeNumber("seed", values.seed),
    ...(values["end-date"] === undefined ? {} : { endDate: values["end-date"] }),
  });
  const workers = values.workers === undefined ? defaultWorkers() : wholeNumber("workers", values.workers);
  if (workers < 1 || workers > 64) throw new Error(`--workers must be between 1 and 64, got ${workers}`);
  return { plan, out: values.out, workers };
}
