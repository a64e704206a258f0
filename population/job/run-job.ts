/**
 * One scoring run (`npm run population -- --input DIR --out DIR`): reads the population one
 * patient at a time on this thread (NDJSON as each patient's unparsed lines, which the workers
 * parse: parsing costs more than reading and would make this thread the bottleneck), scores
 * batches on the worker pool (one worker per core), stores
 * each batch in the checkpoint as it comes back, and writes the outputs once the input has been
 * read to the end. At most two batches per worker are in flight, so memory does not grow with the
 * population. Run again on the same --out after an interruption, it skips the patients stored.
 *
 * NDJSON is merge-joined at once, without a dry run that checks the order first (a whole extra
 * read of every file); if the files turn out not to be ordered by patient, the reader says so
 * with a restart, and this run forgets every patient stored so far, records in the checkpoint
 * that the input is grouped by the SQLite spill (so a resumed run goes straight to it), and
 * scores every patient again from the spill.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { jsonText } from "../../shared/features/resource-versions.ts";
import { parseModelInfo } from "../../shared/inference/model-info.ts";
import { readOnnxMetadata } from "../../shared/inference/onnx-metadata.ts";
import { expectedPatients } from "../expected-patients.ts";
import { openPopulation } from "../read-population.ts";
import type { LineAssembly } from "../ndjson-patient-lines.ts";
import { addStats } from "../skipped-lines.ts";
import type { PatientRecord, PopulationStats } from "../types.ts";
import { Checkpoint, type RunIdentity } from "./checkpoint.ts";
import { inputFingerprint } from "./input-fingerprint.ts";
import { JOB_READ } from "./job-resource-types.ts";
import { BAD_LINES_LISTED, inputReport, noPatientReadCause, type InputReport } from "./input-report.ts";
import { lockOut, type OutLock } from "./out-lock.ts";
import { writeOutputs } from "./outputs/write-outputs.ts";
import { timingSince, type RunTiming } from "./run-timing.ts";
import { listName, type Selection } from "./outputs/selection.ts";
import type { Progress, ProgressCounts } from "./progress.ts";
import { POPULATION_RULES_VERSION } from "./rules-version.ts";
import type { ScoreSettings } from "./score-settings.ts";
import { inShard, type Shard } from "./shard.ts";
import { openSpillFolder } from "./spill-folder.ts";
import { PackBuilder } from "./packed-lines.ts";
import { ScoringPool } from "./worker-pool.ts";
import type { LinesContext } from "./worker-messages.ts";

export interface JobOptions {
  inputDir: string;
  outDir: string;
  /** What the summary names as the source (the input directory, or the FHIR server). */
  source: string;
  /** When the data was taken (Bulk Data transactionTime); null for local files. */
  dataTime: string | null;
  /** OperationOutcomes in the Bulk Data export's error files; null for local files. */
  exportErrorOutcomes: number | null;
  settings: ScoreSettings;
  shard: Shard;
  selection: Selection;
  /** Scoring threads; default one per core. */
  workers?: number;
  /** Patients per batch sent to a worker. */
  batchSize?: number;
  /** OUT's lock, when the caller took it before the run to write into OUT first (the --fhir
   * export); without it the run takes it, and releases it when done. */
  outLock?: OutLock;
  /** Where the spill of unordered NDJSON goes instead of --out (spill-folder.ts). */
  tempDir?: string;
  progress: Progress;
}

export interface JobResult {
  files: string[];
  /** Patients with a Patient resource (summary.html's headline). */
  patients: number;
  /** Patient ids that resources reference but no Patient resource has: not counted as patients. */
  orphanReferences: number;
  scored: number;
  /** Patients this run found already stored by an interrupted one. */
  resumed: number;
  /** Patient resources in the input: none means nobody could be scored, whatever else it holds. */
  patientResources: number;
  /** With none, why (input-report.ts noPatientReadCause). */
  noPatientReadCause: string;
  /** The warning when most scored patients have no record in the year before the index date
   * (population-tally.ts), else null. */
  notCurrentWarning: string | null;
  /** The warning when the latest record before the index date is more than a year before it
   * (population-tally.ts staleDataWarning), else null. */
  staleDataWarning: string | null;
  /** The warning when the data run well past the index date, with the listed patients whose knee
   * OA diagnosis is on record after it (population-tally.ts dataPastIndexWarning), else null. */
  dataPastIndexWarning: string | null;
  /** Seconds the scoring of the input took (summary.html's duration, the same figure): this
   * run's, or with `scoredEarlier` that run's. Writing the outputs is not included. */
  seconds: number;
  /** Seconds this run took to write the outputs. */
  outputSeconds: number;
  /** How the run that scored the input went, when an earlier run had (this one only wrote the
   * outputs again, with that run's figures); null when this run scored it. */
  scoredEarlier: RunTiming | null;
}

const DEFAULT_BATCH = 64;

export async function runJob(options: JobOptions): Promise<JobResult> {
  const started = new Date();
  // First, as it also checks the input folder (missing, or without a file the readers read): a
  // bad one must not leave an output folder behind.
  const inputFiles = await inputFingerprint(options.inputDir);
  // Before anything in OUT is read or written (out-lock.ts).
  const lock = options.outLock ?? lockOut(options.outDir);
  try {
    return await scoreAndWrite(options, await runIdentity(options, inputFiles), started);
  } finally {
    if (options.outLock === undefined) lock.release();
  }
}

async function runIdentity(options: JobOptions, inputFiles: string): Promise<RunIdentity> {
  const modelFile = await readFile(options.settings.modelPath);
  const model = parseModelInfo(readOnnxMetadata(modelFile));
  return {
    source: options.source,
    inputFiles,
    indexDate: options.settings.indexDate,
    minAgeYears: options.settings.minAgeYears ?? null,
    explainFrom: options.settings.explainFrom,
    includeNames: options.settings.includeNames,
    rules: POPULATION_RULES_VERSION,
    model: { name: model.name, version: model.version, specVersion: model.specVersion, sha256: createHash("sha256").update(modelFile).digest("hex") },
    shard: options.shard,
  };
}

async function scoreAndWrite(options: JobOptions, identity: RunIdentity, started: Date): Promise<JobResult> {
  const checkpoint = Checkpoint.open(options.outDir, identity);
  try {
    const counts: ProgressCounts = { patientsRead: 0, scored: 0, resumed: 0, resources: 0 };
    const scoredEarlier = checkpoint.timing();
    let input = checkpoint.inputReport();
    if (input === null) {
      input = await scoreInput(options, checkpoint, counts);
      checkpoint.finishInput(input, timingSince(started, describeRun(options.shard, counts.resumed)));
    } else {
      options.progress.event("already scored", { patientsStored: checkpoint.count });
    }
    // The figures of the run that scored: a run that only writes the outputs again (after a stop
    // before the renames, or for another --threshold or --top) must not report its own 0.0 s.
    // Its identity (the rules version) proves it was recorded by this version of Patella.
    const timing = checkpoint.timing()!;
    const outputsStarted = Date.now();
    const { files, tally } = writeOutputs(options.outDir, checkpoint.storedRun(input), options.selection, timing);
    const patientResources = input.resourcesByType["Patient"] ?? 0;
    const outputSeconds = (Date.now() - outputsStarted) / 1000;
    return {
      files,
      patients: tally.patients,
      orphanReferences: tally.withoutPatientResource,
      scored: tally.scored,
      resumed: counts.resumed,
      patientResources,
      noPatientReadCause: noPatientReadCause(input),
      notCurrentWarning: tally.notCurrentWarning(),
      staleDataWarning: tally.staleDataWarning(),
      dataPastIndexWarning: tally.dataPastIndexWarning(listName(options.selection.threshold)),
      seconds: timing.seconds,
      outputSeconds,
      scoredEarlier,
    };
  } finally {
    checkpoint.close();
  }
}

/** summary.html's "run": which, and whether it resumed an interrupted one (whose own times are
 * not known: a kill -9 records none). */
function describeRun(shard: Shard, resumed: number): string {
  const which = shard.count === 1 ? "single run" : `shard ${shard.index} of ${shard.count} (0-based)`;
  return resumed === 0 ? which : `${which}, resumed: ${resumed} patients were stored by an interrupted run before it (started and duration are this run's)`;
}

/**
 * A batch's records as JSON for a scoring thread. JSON.stringify recurses: a resource nested some
 * thousands of levels deep (valid JSON, which JSON.parse reads, and the scoring threads score when
 * they parse the line themselves) overflowed the stack and ended the run. Such a batch is written
 * without recursion, the same text more slowly.
 */
function recordsJson(records: readonly PatientRecord[]): string {
  try {
    return JSON.stringify(records);
  } catch (error) {
    if (error instanceof RangeError) return jsonText(records);
    throw error;
  }
}


async function scoreInput(options: JobOptions, checkpoint: Checkpoint, counts: ProgressCounts): Promise<InputReport> {
  const { progress } = options;
  // The reader lists the first skipped lines in its stats; the first ones are also logged as they
  // happen, each once: after a regrouping the spill reads again the lines the join had read.
  const loggedBadLines = new Set<string>();
  const logBadLine = (where: string, reason: string, read?: boolean) => {
    if (loggedBadLines.has(where) || loggedBadLines.size >= BAD_LINES_LISTED) return;
    loggedBadLines.add(where);
    // A line read with a caveat (a resource without an id, a Patient listed again) was not skipped.
    progress.event(read === true ? "line read with a caveat" : "bad line skipped", { where, reason });
  };
  // Emptied of a killed run's spill now that this run owns --out (its checkpoint is open), and
  // removed at the end, however the run ends; Ctrl-C or SIGTERM mid-run too: the checkpoint keeps
  // what was scored, the spill goes (spill-folder.ts).
  const spill = openSpillFolder(options.outDir, options.tempDir);
  try {
    return await scoreWithSpillIn(spill.path, options, checkpoint, counts, logBadLine);
  } finally {
    spill.remove();
  }
}

async function scoreWithSpillIn(
  spill: string,
  options: JobOptions,
  checkpoint: Checkpoint,
  counts: ProgressCounts,
  logBadLine: (where: string, reason: string, read?: boolean) => void,
): Promise<InputReport> {
  const { progress } = options;
  const population = await openPopulation(options.inputDir, {
    skipBadLines: true,
    ...JOB_READ,
    onBadLine: logBadLine,
    onBadFile: (file, reason) => progress.event("bad file skipped", { file, reason }),
    onGrouping: (resourcesGrouped, finished) => progress.grouping(resourcesGrouped, finished),
    tempDir: spill,
    ...(options.settings.fhirBaseUrl === undefined ? {} : { fhirBaseUrl: options.settings.fhirBaseUrl }),
  });
  const workers = options.workers ?? availableParallelism();
  const pool = await ScoringPool.start(options.settings, workers);
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  // NDJSON lines read onto patients and not yet counted: the scoring threads count them when they
  // parse them, and their counts come back with the batch. Added to the reader's counts, they make
  // the progress's resources the running total read (a bad line among them counts until its batch
  // is back), where the reader's counts alone stayed at 0 until the first batch was scored.
  let linesNotCounted = 0;
  const send = (batch: Batch) => {
    const done = pool.score({ records: recordsJson(batch.records), lines: batch.lines.finish(), countOnly: batch.countOnly.finish() }).then(
      ({ results, input }) => {
        checkpoint.addRows(results);
        addStats(population.stats, input);
        linesNotCounted -= linesIn(batch);
        for (const { where, reason, read } of input.skippedLines) logBadLine(where, reason, read);
        // Given a risk, as the run's last line counts them: not those stored without one.
        counts.scored += results.filter((row) => row.probability !== null).length;
      },
      (error: unknown) => {
        failure ??= error;
      },
    );
    const tracked = done.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };
  // Only patients stored by an earlier run can be found stored: a fresh run need not ask.
  let resuming = checkpoint.count > 0;
  let linesContextSent = false;
  try {
    progress.start(await expectedPatients(options.inputDir));
    let batch = emptyBatch();
    for await (const group of population.groups({ spill: checkpoint.grouping() === "sqlite-spill" })) {
      if (group.kind === "restart") {
        // The files were not ordered by patient after all: what the merge join grouped may lack
        // resources. Wait for the batches in flight, then forget every patient they and any
        // earlier run stored, and score all of them again from the spill.
        await Promise.all(inFlight);
        if (failure !== null) throw failure;
        const discarded = checkpoint.count;
        checkpoint.restartWithSpill();
        progress.event("regrouping", { reason: group.reason, discarded });
        progress.restart();
        batch = emptyBatch();
        Object.assign(counts, { patientsRead: 0, scored: 0, resumed: 0, resources: 0 });
        linesNotCounted = 0;
        resuming = false;
        continue;
      }
      counts.patientsRead += 1;
      if (group.kind === "lines") linesNotCounted += group.group.lines.length;
      // Every patient (the progress throttles what it shows): at a few patients a second, every
      // 256th patient would leave the log silent for minutes, which reads as stalled.
      counts.resources = resourcesRead(population.stats) + linesNotCounted;
      progress.update(counts);
      const patientId = group.kind === "record" ? group.record.patientId : group.group.patientId;
      let score = inShard(patientId, options.shard);
      const stored = score && resuming ? checkpoint.storedWithRisk(patientId) : null;
      if (stored !== null) {
        counts.resumed += 1;
        if (stored) counts.scored += 1;
        score = false;
      }
      if (group.kind === "record") {
        if (score) batch.records.push(group.record);
      } else {
        if (!linesContextSent) pool.setLinesContext(linesContext(population.lineAssembly));
        linesContextSent = true;
        // A patient not scored here is still parsed and counted: every shard, and a resumed run,
        // reports the whole input (resources, bad lines), as a single run does.
        (score ? batch.lines : batch.countOnly).add(group.group);
      }
      if (batchSize(batch) < (options.batchSize ?? DEFAULT_BATCH)) continue;
      send(batch);
      batch = emptyBatch();
      while (inFlight.size >= workers * 2) await Promise.race(inFlight);
      if (failure !== null) throw failure;
    }
    if (batchSize(batch) > 0) send(batch);
    await Promise.all(inFlight);
    if (failure !== null) throw failure;
    if (counts.resumed > 0) progress.event("resumed", { patientsAlreadyStored: counts.resumed });
    progress.update({ ...counts, resources: resourcesRead(population.stats) });
    return inputReport(population.stats, population.stats.skippedLines.slice(0, BAD_LINES_LISTED), options);
  } finally {
    progress.stop();
    await Promise.allSettled(inFlight);
    await pool.close();
  }
}

const resourcesRead = (stats: PopulationStats) => Object.values(stats.resourcesByType).reduce((a, b) => a + b, 0);

/** Patients on their way to a scoring worker: assembled records, or NDJSON lines it parses,
 * and lines it only parses and counts (patients of other shards, or stored by an earlier run). */
interface Batch {
  records: PatientRecord[];
  /** Packed as they come (packed-lines.ts). */
  lines: PackBuilder;
  countOnly: PackBuilder;
}

const emptyBatch = (): Batch => ({ records: [], lines: new PackBuilder(), countOnly: new PackBuilder() });
/** The lines of a batch, which the scoring thread counts as it parses them. */
const linesIn = (batch: Batch) => batch.lines.lineCount + batch.countOnly.lineCount;
const batchSize = (batch: Batch) => batch.records.length + batch.lines.patients + batch.countOnly.patients;

function linesContext(assembly: LineAssembly): LinesContext {
  return {
    kind: "lines-context",
    medications: [...assembly.medications],
    fhirBaseUrl: assembly.fhirBaseUrl ?? null,
  };
}
