/**
 * npm run features -- --in DIR --out PREFIX [--skip-bad-lines] [--max-index-dates N] [--min-age N]
 *
 * Builds the Deep-KOA inputs for every patient and index date of DIR (truth.ndjson's dates when
 * present, else the index-date policy in population/README.md) and writes PREFIX.sequence.npy,
 * PREFIX.static.npy, PREFIX.labels.npy, PREFIX.rows.ndjson and PREFIX.meta.json.
 */
import { checkOutputFile, integerOption, parseCommandLine, runMain, UsageError } from "./cli-args.ts";
import { runFeatures } from "./feature-run.ts";
import { openScratchFolder } from "./scratch-folder.ts";

const USAGE = `usage: npm run features -- --in DIR --out PREFIX [--skip-bad-lines] [--max-index-dates N] [--min-age N] [--help]

  --in DIR              FHIR NDJSON or Bundle directory; index dates and labels from DIR/truth.ndjson when
                        present, else from the index-date policy (population/README.md)
  --out PREFIX          output path prefix: PREFIX.sequence.npy, .static.npy, .labels.npy, .rows.ndjson, .meta.json
                        (PREFIX's folder must exist: it is not created)
  --skip-bad-lines      count and skip lines (and Bundle files) that are not FHIR JSON instead of stopping
  --max-index-dates N   index-date policy only: keep each patient's latest N index dates (default: all)
  --min-age N           minimum age in years at the index date for a row to be written (default 18)
  --help, -h            print this text`;

async function main(): Promise<void> {
  const { values } = parseCommandLine(process.argv.slice(2), {
    in: { type: "string" },
    out: { type: "string" },
    "skip-bad-lines": { type: "boolean" },
    "max-index-dates": { type: "string" },
    "min-age": { type: "string" },
  });
  if (values.in === undefined || values.out === undefined) throw new UsageError("--in and --out are required");
  const maxIndexDates = integerOption("max-index-dates", values["max-index-dates"]);
  const minAgeYears = integerOption("min-age", values["min-age"]);
  // PREFIX's folder is not created: a mistyped one is said before any input is read.
  checkOutputFile("--out", `${values.out}.meta.json`);
  // The spill and the truth store go in a folder of this run's; what killed runs left is removed.
  const scratch = openScratchFolder("features");
  const result = await runFeatures({
    inDir: values.in,
    outPrefix: values.out,
    skipBadLines: values["skip-bad-lines"] === true,
    ...(maxIndexDates === undefined ? {} : { maxIndexDates }),
    ...(minAgeYears === undefined ? {} : { minAgeYears }),
    tempDir: scratch.path,
    onProgress: ({ patients, rows, seconds }) =>
      process.stderr.write(`  ${patients} patients, ${rows} rows, ${Math.round(rows / seconds)} rows/s\n`),
  }).finally(() => scratch.remove());
  const { counts } = result.meta;
  const rate = (n: number) => Math.round(n / Math.max(result.seconds, 1e-9));
  process.stdout.write(
    [
      `features ${result.meta.specVersion} from ${result.meta.labelSource} (${result.meta.input.format}, ${result.meta.input.grouping})`,
      `patients ${counts.patients}, index dates ${counts.indexDates}, rows ${counts.rows} (positive ${counts.positives}), ineligible ${counts.ineligibleRows} ${JSON.stringify(counts.ineligibleByReason)}`,
      `${result.seconds.toFixed(1)} s, ${rate(counts.indexDates)} index dates/s, ${rate(counts.rows)} rows/s`,
      ...result.files.map((file) => `wrote ${file}`),
    ].join("\n") + "\n",
  );
}

runMain(USAGE, main);
