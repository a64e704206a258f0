/**
 * npm run evaluate:synthea: regenerates models/evaluation/reports/synthea-100/ from the Synthea
 * sample set, which lives outside the repository (the folder $SYNTHEA_100 names);
 * without it, stops at once (exit 2) saying what is missing and where it was looked for.
 */
import { syntheaEvaluateArgs } from "./committed-reports.ts";
import { runEvaluate } from "./cli.ts";

let args: string[];
try {
  args = syntheaEvaluateArgs();
} catch (err) {
  console.error(`evaluate:synthea: ${(err as Error).message}`);
  process.exit(2);
}
console.error(`evaluate:synthea: npm run evaluate -- ${args.join(" ")}`);
await runEvaluate(args);
