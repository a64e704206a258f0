/**
 * npm run cohort -- --patients N --seed S --out DIR [--end-date YYYY-MM-DD]
 *
 * Writes a simulated cohort as FHIR R4 NDJSON (one file per resource type) plus truth.ndjson
 * into DIR, and prints the throughput. Bad arguments get a message and exit code 2.
 */
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeCohort } from "./cohort-writer.ts";
import { planCohort, type CohortPlan } from "./simulate.ts";

const USAGE = "usage: npm run cohort -- --patients N --seed S --out DIR [--end-date YYYY-MM-DD]";

function wholeNumber(name: string, text: string | undefined): number {
  if (text === undefined) throw new Error(`--${name} is required`);
  if (!/^\d+$/.test(text)) throw new Error(`--${name} must be a whole number, got "${text}"`);
  return Number(text);
}

/** Reads the command line into a plan and an output folder, or throws a message for the user. */
export function parseCohortArgs(argv: readonly string[]): { plan: CohortPlan; out: string } {
  const { values } = parseArgs({
    args: [...argv],
    options: { patients: { type: "string" }, seed: { type: "string" }, out: { type: "string" }, "end-date": { type: "string" } },
    strict: true,
    allowPositionals: false,
  });
  if (values.out === undefined || values.out === "") throw new Error("--out is required");
  const plan = planCohort({
    patients: wholeNumber("patients", values.patients),
    seed: wholeNumber("seed", values.seed),
    ...(values["end-date"] === undefined ? {} : { endDate: values["end-date"] }),
  });
  return { plan, out: values.out };
}

async function main(): Promise<void> {
  let parsed: { plan: CohortPlan; out: string };
  try {
    parsed = parseCohortArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`cohort: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const { plan, out } = parsed;
  mkdirSync(out, { recursive: true });
  const step = Math.max(1000, Math.ceil(plan.patients / 10));
  const summary = await writeCohort(plan, {
    open: (name) => createWriteStream(join(out, name)),
    onPatient: (done) => {
      if (done % step === 0 && done < plan.patients) process.stderr.write(`cohort: ${done} / ${plan.patients} patients\n`);
    },
  });
  for (const [name, count] of Object.entries(summary.lines)) console.log(`${name.padEnd(28)} ${count} lines`);
  const rate = summary.seconds > 0 ? Math.round(summary.patients / summary.seconds) : 0;
  console.log(`${summary.patients} patients in ${summary.seconds.toFixed(1)} s: ${rate} patients/s -> ${out}`);
}

await main();
