/**
 * npm run check:external -- DIR [--skip-bad-lines] [--top N]
 *
 * Reads a foreign FHIR dataset (a directory of NDJSON or Bundle files, e.g. one of Synthea's
 * published sample sets), builds each patient's features once and prints what Patella makes of it,
 * ending with the codes the value sets do not know, most frequent first (--top N of them,
 * default 20): the list to work through when adding codes.
 * Not part of npm test: the data sets live outside the repository.
 */
import { integerOption, parseCommandLine, runMain, UsageError } from "./features/cli-args.ts";
import { checkExternal, formatExternalCheck } from "./features/external-check.ts";
import { openScratchFolder } from "./features/scratch-folder.ts";

const USAGE = `usage: npm run check:external -- DIR [--skip-bad-lines] [--top N] [--help]

  DIR                a directory of FHIR NDJSON or Bundle files
  --skip-bad-lines   count and skip lines (and Bundle files) that are not FHIR JSON instead of stopping
  --top N            how many unmapped codes to list, most frequent first (default 20)
  --help, -h         print this text`;

async function main(): Promise<void> {
  const options = { "skip-bad-lines": { type: "boolean" }, top: { type: "string" } } as const;
  const { values, positionals } = parseCommandLine(process.argv.slice(2), options, true);
  if (positionals.length !== 1) throw new UsageError("give exactly one directory");
  const topCodes = integerOption("top", values.top);
  // The spill goes in a folder of this run's; what killed runs left is removed.
  const scratch = openScratchFolder("check:external");
  const report = await checkExternal(positionals[0]!, {
    skipBadLines: values["skip-bad-lines"] === true,
    ...(topCodes === undefined ? {} : { topCodes }),
    tempDir: scratch.path,
  }).finally(() => scratch.remove());
  process.stdout.write(formatExternalCheck(report) + "\n");
}

runMain(USAGE, main);
