/**
 * npm run population -- --input DIR --out DIR [options]
 * npm run population -- merge SHARD_DIR... --out DIR [--threshold P] [--top N]
 *
 * Scores every patient of a FHIR population with the shipped model and writes high-risk.csv,
 * imaging-knee-oa.csv, risk-assessments.ndjson, their two Groups and summary.html (population/README.md).
 */
import { statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { checkOutputFolder, integerOption, parseCommandLine, runMain, UsageError } from "../../models/features/cli-args.ts";
import { parseCalendarDay } from "../../shared/fhir-dates.ts";
import { isTlsOrLoopback } from "../../shared/fhir-server-url.ts";
import { RISK_TIER_CONFIG } from "../../shared/risk-tiers.ts";
import { KickOffRefusedError } from "../bulk/bulk-export.ts";
import { DEFAULT_MAX_EXPORT_BYTES, DEFAULT_MAX_FILE_BYTES } from "../bulk/download-caps.ts";
import { exportFromFhir, fhirAccess } from "../bulk/export-input.ts";
import { postGroup } from "../bulk/post-group.ts";
import { DEFAULT_DOWNLOAD_IDLE_MS, DEFAULT_REQUEST_TIMEOUT_MS } from "../bulk/request-timeouts.ts";
import { Checkpoint } from "./checkpoint.ts";
import { mergeShards } from "./merge-shards.ts";
import { minAgeWarning } from "./min-age.ts";
import { lockOut } from "./out-lock.ts";
import { notHighRiskList, type Selection } from "./outputs/selection.ts";
import type { OUTPUT_FILES } from "./outputs/write-outputs.ts";
import { progressFor } from "./progress.ts";
import { runJob } from "./run-job.ts";
import { describeScoring } from "./scoring-line.ts";
import { parseShard, WHOLE_POPULATION } from "./shard.ts";

const GIB = 2 ** 30;
/** What `--post-group` PUTs, in this order: the Groups among the outputs (write-outputs.ts). */
const POSTED_GROUPS: readonly (typeof OUTPUT_FILES)[number][] = ["high-risk-group.json", "imaging-knee-oa-group.json"];
const DEFAULT_MODEL = fileURLToPath(new URL("../../models/deep-koa/deep-koa.onnx", import.meta.url));

const USAGE = `usage: npm run population -- --input DIR --out DIR [options]
       npm run population -- --fhir BASE --client-id ID --key FILE --out DIR [options]
       npm run population -- merge SHARD_DIR... --out DIR [--threshold P] [--top N]

Scores every patient of a FHIR population (a folder of NDJSON or Bundle files) for the 1-year
risk of a knee osteoarthritis diagnosis, with the shipped Deep-KOA model (trained on SYNTHETIC
data: not for clinical use), and writes into --out:
  high-risk.csv             patients at or above --threshold (or the --top N), riskiest first
  imaging-knee-oa.csv       scored patients whose knee the imaging AI graded Kellgren-Lawrence
                            2 or more, whatever their risk, riskiest first
  risk-assessments.ndjson   one FHIR R4 RiskAssessment per scored patient
  high-risk-group.json      a FHIR R4 Group of high-risk.csv's patients
  imaging-knee-oa-group.json  a FHIR R4 Group of imaging-knee-oa.csv's patients
  summary.html              distribution, tiers, age and sex, data quality, run details
  job-state.sqlite          the checkpoint: run again with the same options to resume
  run.lock                  held by the run using --out, so that a second one is refused; do
                            not delete it (the OS releases it when the run ends, even by kill -9)

options:
  --input DIR           population folder (FHIR NDJSON files, or Bundle JSON files)
  --fhir BASE           or: a FHIR server, through a Bulk Data $export into OUT/export/
                        (resumable: the status URL is kept, finished files are not fetched again)
  --client-id ID        SMART Backend Services client id (with --fhir)
  --key FILE            its private JWK (RS384 or ES384) (with --fhir)
  --scope SCOPES        scopes asked for; default system/<type>.rs for each type read, and
                        system/Group.cu with --post-group
  --group ID            export the members of Group ID instead of all patients
  --type-filter         _typeFilter: body-measure Observations and imaging AI KL grades only (servers
                        that support it; the readers set the other Observations aside anyway: it
                        saves the download)
  --parallel N          files downloaded at once; default 4
  --poll-hours N        how long to wait for the export to be ready (busy answers included), and
                        for a file whose download the server answers busy (429); default 24
  --request-timeout S   seconds one try of a request other than a download (the token, the
                        kick-off, a status poll, ...) may take; then it is retried as a dropped
                        connection is; default ${DEFAULT_REQUEST_TIMEOUT_MS / 1000}
  --download-idle-timeout S
                        seconds a download may go without a byte; then it is retried (the file
                        from its start); default ${DEFAULT_DOWNLOAD_IDLE_MS / 1000}
  --max-file-gib N      GiB one downloaded file may have; default ${DEFAULT_MAX_FILE_BYTES / GIB}
  --max-export-gib N    GiB the export's files may have in all; default ${DEFAULT_MAX_EXPORT_BYTES / GIB}.
                        Past a cap the run stops and the file's .partial is deleted
  --post-group          PUT both Groups to the FHIR server when done (with --fhir; not with --shard)
  --out DIR             output folder (created; resumes the run whose state it holds)
  --index-date DATE     the risk is for the year starting on DATE (YYYY-MM-DD); default that of the
                        run --out holds (to resume it), else today (UTC)
  --threshold P         list the patients from risk P (0-1); default ${RISK_TIER_CONFIG.thresholds.high} (the "high" tier: the
                        high-risk list; another P names the list by P, as a lower one lists Moderate
                        and Low patients)
  --top N               at most the N riskiest patients at or above the threshold
  --explain-from P      compute the top reasons for patients from risk P; default the threshold
                        (every listed patient, and no one else: drivers cost a model row per group)
  --min-age N           youngest age scored; default 18, the model's minimum (a lower one is
                        warned of here and in summary.html)
  --include-names       add names and birth dates to high-risk.csv (direct identifiers)
  --shard i/N           score only the patients of shard i (0-based) of N; merge the N outputs
  --workers N           scoring threads; default one per core
  --batch-size N        patients per batch sent to a scoring thread; default 64
  --model FILE          ONNX model; default models/deep-koa/deep-koa.onnx
  --temp-dir DIR        where unordered NDJSON is grouped on disk; default a folder in --out.
                        DIR/patella-spill-<hash of --out>, removed when the run ends; a killed
                        run's is removed when its --out is resumed (with any --temp-dir), never
                        by a run on another --out: its patella-spill-of.txt names its --out
  --help                this text

Bad lines are reported with file:line, counted and skipped; every skipped resource is counted
by reason in summary.html. Progress goes to stderr (a bar on a terminal, JSON lines otherwise).`;

function probabilityOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const p = Number(value);
  if (value.trim() === "" || !(p >= 0 && p <= 1)) throw new UsageError(`--${name} must be a probability between 0 and 1, got ${JSON.stringify(value)}`);
  return p;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Whether `path` is `folder` or below it (as written, after resolving "." and ".."). */
function isSameOrInside(path: string, folder: string): boolean {
  const fromFolder = relative(resolve(folder), resolve(path));
  return fromFolder === "" || (fromFolder.split(sep)[0] !== ".." && !isAbsolute(fromFolder));
}

const INDEX_DATE_RANGE = { from: "1900-01-01", to: "2199-12-31" } as const;

/**
 * The index date: --index-date, else that of the run OUT holds, else today (UTC). Today changes at
 * midnight UTC, and the date is part of a run's identity: a run stopped before midnight and run
 * again with the same command the next day must take up its own date, not be refused for today's.
 */
function indexDateOption(value: string | undefined, outDir: string): string {
  if (value !== undefined) return dateOption(value);
  const stored = Checkpoint.storedIndexDate(outDir);
  if (stored === null) return new Date().toISOString().slice(0, 10);
  process.stderr.write(`resuming the run of --index-date ${stored} stored in ${outDir}; pass --index-date to score another date in another --out\n`);
  return stored;
}

function dateOption(value: string): string {
  // The shared date parser: a month 13 or a day 32 is invalid, not a thrown "Invalid time value".
  if (parseCalendarDay(value) === null) throw new UsageError(`--index-date must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  // Dates no EHR record holds; from 9999 on, the risk's one-year period cannot even be written.
  if (value < INDEX_DATE_RANGE.from || value > INDEX_DATE_RANGE.to) {
    throw new UsageError(`--index-date must be between ${INDEX_DATE_RANGE.from} and ${INDEX_DATE_RANGE.to}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A whole number option that must be at least 1 (a --top of 0 lists nobody, a limit of 0 fails every request). */
function positiveOption(name: string, value: string | undefined): number | undefined {
  const n = integerOption(name, value);
  if (n === 0) throw new UsageError(`--${name} must be at least 1`);
  return n;
}

function selectionOf(values: { threshold?: string; top?: string }): Selection {
  const top = positiveOption("top", values.top);
  return { threshold: probabilityOption("threshold", values.threshold) ?? RISK_TIER_CONFIG.thresholds.high, top: top ?? null };
}

const SELECTION_OPTIONS = { out: { type: "string" }, threshold: { type: "string" }, top: { type: "string" }, help: { type: "boolean" } } as const;

/** One line on stderr when the list is not the high-risk list its files are named for (selection.ts). */
function noteListName(threshold: number): void {
  const list = notHighRiskList(threshold);
  if (list !== null) process.stderr.write(`note: high-risk.csv and high-risk-group.json hold ${list}\n`);
}

/** One line on stderr when --min-age is below the model's minimum (min-age.ts). */
function warnOfMinAge(minAgeYears: number | null): void {
  const note = minAgeWarning(minAgeYears);
  if (note !== null) process.stderr.write(`warning: ${note}; summary.html says so too\n`);
}

/**
 * Ctrl-C (or SIGTERM, a pod stopped) ends the run as the signal does (exit 130 from a shell),
 * after one line on stderr: what it keeps and how to resume, which the exit code alone does not
 * say. The spill's removal (interrupt-cleanup.ts) runs after it, and ends the process itself when
 * it has a folder to remove; else this does, by raising the signal again.
 */
function sayWhatIsKeptOnInterrupt(outDir: string, fhir: boolean): void {
  const kept = fhir ? "the files downloaded and the patients scored so far are" : "the patients scored so far are";
  const say = (signal: NodeJS.Signals) => {
    for (const s of INTERRUPTS) process.removeListener(s, say);
    // On a terminal the progress bar holds the line: start a new one.
    process.stderr.write(`${process.stderr.isTTY ? "\n" : ""}interrupted: ${kept} kept in ${outDir}; run the same command again to resume\n`);
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  for (const signal of INTERRUPTS) process.on(signal, say);
}

const INTERRUPTS = ["SIGINT", "SIGTERM"] as const;

async function merge(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv, SELECTION_OPTIONS, true);
  if (values.help === true) return void process.stdout.write(`${USAGE}\n`);
  if (values.out === undefined || positionals.length === 0) throw new UsageError("merge needs the shard output folders and --out");
  checkOutputFolder("--out", values.out);
  const selection = selectionOf(values);
  const result = mergeShards(positionals, values.out, selection);
  // The shards' --min-age, known once their states are open: the merged summary.html warns too.
  warnOfMinAge(result.minAgeYears);
  noteListName(selection.threshold);
  process.stdout.write(`merged ${positionals.length} shards: ${result.patients} patients, ${result.scored} scored\n${result.files.map((f) => `wrote ${f}`).join("\n")}\n`);
}

async function score(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, {
    ...SELECTION_OPTIONS,
    input: { type: "string" },
    "index-date": { type: "string" },
    "explain-from": { type: "string" },
    "min-age": { type: "string" },
    "include-names": { type: "boolean" },
    shard: { type: "string" },
    workers: { type: "string" },
    "batch-size": { type: "string" },
    model: { type: "string" },
    "temp-dir": { type: "string" },
    fhir: { type: "string" },
    "client-id": { type: "string" },
    key: { type: "string" },
    scope: { type: "string" },
    group: { type: "string" },
    since: { type: "string" },
    "type-filter": { type: "boolean" },
    parallel: { type: "string" },
    "poll-hours": { type: "string" },
    "request-timeout": { type: "string" },
    "download-idle-timeout": { type: "string" },
    "max-file-gib": { type: "string" },
    "max-export-gib": { type: "string" },
    "post-group": { type: "boolean" },
  });
  if (values.help === true) return void process.stdout.write(`${USAGE}\n`);
  if (values.input !== undefined && values.fhir !== undefined) throw new UsageError("--input and --fhir exclude each other: give one, the folder or the FHIR server");
  if ((values.input === undefined && values.fhir === undefined) || values.out === undefined) throw new UsageError("--out and one of --input or --fhir are required");
  // A file, a path through one, or a folder the user cannot write in: said now, not as mkdir's
  // EEXIST once the input has been checked (or, with --fhir, the token asked for).
  checkOutputFolder("--out", values.out);
  if (values.fhir !== undefined && (values["client-id"] === undefined || values.key === undefined)) throw new UsageError("--fhir needs --client-id and --key");
  if (values.fhir !== undefined && !isTlsOrLoopback(values.fhir)) {
    throw new UsageError("--fhir must be an https URL (plain http only on loopback): the token and the patients' data would cross the network in the clear");
  }
  if (values["temp-dir"] !== undefined && !isFolder(values["temp-dir"])) {
    throw new UsageError(`--temp-dir must be an existing folder, got ${JSON.stringify(values["temp-dir"])}`);
  }
  if (values.input !== undefined && isSameOrInside(values.out, values.input)) {
    throw new UsageError("--out must not be --input or a folder inside it: the job's own files would be read as input");
  }
  if (values["post-group"] === true && values.fhir === undefined) throw new UsageError("--post-group needs --fhir");
  for (const option of ["poll-hours", ...BULK_LIMITS] as const) {
    if (values[option] !== undefined && values.fhir === undefined) throw new UsageError(`--${option} needs --fhir`);
  }
  // Kept as an option only to say why it is refused: scripts of earlier versions may pass it.
  if (values.since !== undefined) {
    throw new UsageError(
      "--since is not offered: a _since export holds only the resources changed since then, and each patient would be scored on that part of their record; export everything",
    );
  }
  const shard = values.shard === undefined ? WHOLE_POPULATION : parseShard(values.shard);
  if (shard === null) throw new UsageError(`--shard must be i/N with 0 <= i < N, got ${JSON.stringify(values.shard)}`);
  if (values["post-group"] === true && shard.count > 1) {
    // Every shard's Group has the run's one id: each would replace the others' members.
    throw new UsageError("--post-group cannot be used with --shard: a shard's Group holds only its own patients; merge the shards and PUT the merged Groups");
  }
  const selection = selectionOf(values);
  const pollHours = positiveOption("poll-hours", values["poll-hours"]);
  const limits = bulkLimits(values);
  const minAgeYears = integerOption("min-age", values["min-age"]);
  const workers = integerOption("workers", values.workers);
  const batchSize = integerOption("batch-size", values["batch-size"]);
  if (workers === 0 || batchSize === 0) throw new UsageError("--workers and --batch-size must be at least 1");
  // Before the run, not after it: the operator may have meant another age.
  warnOfMinAge(minAgeYears ?? null);
  const explainFrom = probabilityOption("explain-from", values["explain-from"]) ?? selection.threshold;
  // Checked before any export: a bad --index-date must not wait for a long download.
  const settings = {
    ...(values.fhir === undefined ? {} : { fhirBaseUrl: values.fhir }),
    modelPath: values.model ?? DEFAULT_MODEL,
    indexDate: indexDateOption(values["index-date"], values.out),
    explainFrom,
    includeNames: values["include-names"] === true,
    ...(minAgeYears === undefined ? {} : { minAgeYears }),
  };
  const progress = progressFor();
  const fhirInput =
    values.fhir === undefined
      ? null
      : {
          fhirBaseUrl: values.fhir,
          clientId: values["client-id"]!,
          keyFile: values.key!,
          ...(values.scope === undefined ? {} : { scope: values.scope }),
          ...(values.group === undefined ? {} : { groupId: values.group }),
          jobObservationsOnly: values["type-filter"] === true,
          postGroup: values["post-group"] === true,
          parallel: integerOption("parallel", values.parallel) ?? 4,
          ...(pollHours === undefined ? {} : { pollLimitMs: pollHours * 3_600_000 }),
          ...limits,
          outDir: values.out,
          onEvent: (event: string, fields?: Record<string, unknown>) => progress.event(event, fields),
        };
  // The token first, which writes nothing: a run refused for its key or client, or that cannot
  // reach the server, leaves no OUT behind (as a missing --input does).
  const access = fhirInput === null ? null : await fhirAccess(fhirInput);
  // A --fhir run writes into OUT (the export) before scoring: it takes OUT's lock before that, and
  // holds it until the process ends (through the Group's PUT), when the OS drops it.
  const outLock = values.fhir === undefined ? undefined : lockOut(values.out);
  sayWhatIsKeptOnInterrupt(values.out, values.fhir !== undefined);
  const fhir =
    fhirInput === null || access === null
      ? null
      : await exportFromFhir(fhirInput, access).catch((error: unknown) => {
          // Stored nothing (a kick-off the server refused: there is no export to resume): OUT is
          // left as the run found it, without the lock file or the folders this run made. A run
          // that has an export keeps everything to resume.
          if (error instanceof KickOffRefusedError) outLock?.releaseLeavingNoTrace();
          throw error;
        });
  const result = await runJob({
    inputDir: fhir?.filesDir ?? values.input!,
    outDir: values.out,
    source: values.fhir ?? values.input!,
    dataTime: fhir?.transactionTime ?? null,
    exportErrorOutcomes: fhir?.errorOutcomes ?? null,
    settings,
    shard,
    selection,
    ...(workers === undefined ? {} : { workers }),
    ...(batchSize === undefined ? {} : { batchSize }),
    ...(values["temp-dir"] === undefined ? {} : { tempDir: values["temp-dir"] }),
    ...(outLock === undefined ? {} : { outLock }),
    progress,
  });
  if (result.patientResources === 0) {
    // Outputs of nobody are not a result: say so, and fail, before anything is posted.
    throw new Error(`${values.fhir ?? values.input}: no Patient resources were read, so no patient could be scored (${result.noPatientReadCause}); the outputs in ${values.out} are empty`);
  }
  // The summary's warnings, word for word (population-tally.ts).
  for (const warning of [result.staleDataWarning, result.notCurrentWarning, result.dataPastIndexWarning]) {
    if (warning !== null) process.stderr.write(`warning: ${warning} (summary.html says so too)\n`);
  }
  noteListName(selection.threshold);
  process.stdout.write(`${describeScoring(result)}\n${result.files.map((f) => `wrote ${f}`).join("\n")}\n`);
  if (fhir === null || values["post-group"] !== true) return;
  // One after the other, each said as it lands: a failure of the second leaves the first posted.
  for (const file of POSTED_GROUPS) {
    process.stdout.write(`posted ${file} to ${await postGroup(values.fhir!, join(values.out, file), fhir.token, fhir.retry)}\n`);
  }
}

/** The Bulk Data client's time and size limits (request-timeouts.ts, download-caps.ts). */
const BULK_LIMITS = ["request-timeout", "download-idle-timeout", "max-file-gib", "max-export-gib"] as const;

/** BULK_LIMITS' values, as FhirInputOptions takes them; each at least 1. */
function bulkLimits(values: Partial<Record<(typeof BULK_LIMITS)[number], string>>) {
  const positive = (option: (typeof BULK_LIMITS)[number], unit: number) => {
    const value = positiveOption(option, values[option]);
    return value === undefined ? undefined : value * unit;
  };
  const limits = {
    requestTimeoutMs: positive("request-timeout", 1_000),
    downloadIdleMs: positive("download-idle-timeout", 1_000),
    maxFileBytes: positive("max-file-gib", GIB),
    maxExportBytes: positive("max-export-gib", GIB),
  };
  return Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined)) as { [K in keyof typeof limits]?: number };
}

const [first, ...rest] = process.argv.slice(2);
runMain(USAGE, () => (first === "merge" ? merge(rest) : score(process.argv.slice(2))));
