/** The cohort command line: --patients N --seed S --out DIR [--end-date YYYY-MM-DD]. */
import { parseArgs } from "node:util";
import { planCohort, type CohortPlan } from "./simulate.ts";

export const COHORT_USAGE = "usage: npm run cohort -- --patients N --seed S --out DIR [--end-date YYYY-MM-DD]";

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
