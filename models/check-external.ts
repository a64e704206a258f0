/**
 * npm run check:external -- DIR [--skip-bad-lines]
 *
 * Reads a foreign FHIR dataset (a directory of NDJSON or Bundle files, e.g. ../shared/data/
 * synthea-100), builds each patient's features once and prints what Patella makes of it.
 * Not part of npm test: the data sets live outside the repository.
 */
import { parseCommandLine, runMain, UsageError } from "./features/cli-args.ts";
import { checkExternal, formatExternalCheck } from "./features/external-check.ts";

const USAGE = `usage: npm run check:external -- DIR [--skip-bad-lines] [--help]

  DIR                a directory of FHIR NDJSON or Bundle files
  --skip-bad-lines   count and skip lines (and Bundle files) that are not FHIR JSON instead of stopping
  --help, -h         print this text`;

async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine(process.argv.slice(2), { "skip-bad-lines": { type: "boolean" } }, true);
  if (positionals.length !== 1) throw new UsageError("give exactly one directory");
  const report = await checkExternal(positionals[0]!, { skipBadLines: values["skip-bad-lines"] === true });
  process.stdout.write(formatExternalCheck(report) + "\n");
}

runMain(USAGE, main);
