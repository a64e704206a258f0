/** A fresh simulated cohort written to a directory with the project's simulator (models/cohort). */
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { writeCohort } from "../cohort/cohort-writer.ts";
import { planCohort } from "../cohort/simulate.ts";

export async function simulateCohortTo(dir: string, patients: number, seed: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeCohort(planCohort({ patients, seed }), { open: (name) => createWriteStream(path.join(dir, name)) });
}
