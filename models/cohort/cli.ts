/**
 * npm run cohort -- --patients N --seed S --out DIR [--end-date YYYY-MM-DD] [--workers W]
 *
 * Writes a simulated cohort as FHIR R4 NDJSON (one file per resource type) plus truth.ndjson
 * into DIR, and prints the throughput. Patients are simulated in W worker threads (default: the
 * machine's cores, at most 4); the bytes written do not depend on W. Bad arguments get a message
 * and exit code 2.
 */
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import { COHORT_USAGE, parseCohortArgs, type CohortArgs } from "./cohort-args.ts";
import { writeCohort } from "./cohort-writer.ts";
import { wantsHelp } from "../features/cli-args.ts";

async function main(): Promise<void> {
  if (wantsHelp(process.argv.slice(2))) {
    console.log(COHORT_USAGE);
    return;
  }
  let parsed: CohortArgs;
  try {
    parsed = parseCohortArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`cohort: ${(error as Error).message}\n${COHORT_USAGE}`);
    process.exit(2);
  }
  const { plan, out, workers } = parsed;
  try {
    mkdirSync(out, { recursive: true });
  } catch (error) {
    console.error(`cohort: cannot create the output folder ${out}: ${(error as Error).message}`);
    process.exit(1);
  }
  const step = Math.max(1000, Math.ceil(plan.patients / 10));
  let reported = 0;
  const summary = await writeCohort(plan, {
    open: (name) => createWriteStream(join(out, name)),
    workers,
    onPatient: (done) => {
      if (done - reported < step || done >= plan.patients) return;
      reported = done;
      process.stderr.write(`cohort: ${done} / ${plan.patients} patients\n`);
    },
  }).catch((error: unknown) => {
    console.error(`cohort: failed writing ${out}: ${(error as Error).message}`);
    process.exit(1);
  });
  for (const [name, count] of Object.entries(summary.lines)) console.log(`${name.padEnd(28)} ${count} lines`);
  const rate = summary.seconds > 0 ? Math.round(summary.patients / summary.seconds) : 0;
  console.log(`${summary.patients} patients in ${summary.seconds.toFixed(1)} s with ${workers} worker(s): ${rate} patients/s -> ${out}`);
  console.log("Synthetic data from a simulator: not real patients, not validated for clinical use.");
}

await main();
