/**
 * Reading a population directory one patient at a time: a directory of FHIR NDJSON files
 * (Bulk Data style) or, when it has none, a directory of FHIR Bundle JSON files.
 *
 * NDJSON grouping, `patients()`: a dry run of the merge join first checks (streaming, memory
 * flat) that every file follows the Patient files' order; if so the real join streams the
 * patients; if not, the lines are spilled to a temporary SQLite database and read back grouped
 * by patient. The dry run also fills the Medication lookup before anything is yielded.
 *
 * `groups()` (the population job) spares the dry run, a whole read of every file: it reads the
 * Medication files first (the lookup), then runs the merge join at once. Should the files turn
 * out not to be ordered by patient (often found only at the end), or a Medication turn up that
 * the lookup did not have, it yields a restart: the caller discards what it did with the groups
 * so far, and the next groups come from the spill, counted afresh.
 */
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import type { Medication, Resource } from "fhir/r4";
import { listJsonFiles, readBundleDirectory } from "./bundle-reader.ts";
import { NO_INPUT_FILES, PopulationInputError, unreadableFolder } from "./input-error.ts";
import { entryLabel } from "./input-file-label.ts";
import { type ItemSink, mergeJoin, NotOrderedError } from "./ndjson-merge-join.ts";
import { listNdjsonFiles, scanNdjsonDirectory, type NdjsonDirectory } from "./ndjson-directory.ts";
import { readNdjsonByteLines, readNdjsonLineBatches } from "./ndjson-byte-lines.ts";
import type { BadLinePolicy } from "./ndjson-lines.ts";
import { LineColumns } from "./line-columns.ts";
import { assemblePatientLines, type LineAssembly, type PatientLines } from "./ndjson-patient-lines.ts";
import { quickPlacer, type PlacedLine } from "./ndjson-quick-place.ts";
import { spillAndGroup } from "./ndjson-sqlite-spill.ts";
import { assembleRecord, isPreferredMedication, keptForRecord, ndjsonPatientContext, placeResource } from "./record-assembler.ts";
import { reportedType } from "./reported-type.ts";
import { countingPolicy } from "./skipped-lines.ts";
import { emptyStats, type PatientRecord, type PopulationStats, type ReadPopulationOptions } from "./types.ts";

/** A patient as the reader groups it: a record, or (NDJSON ordered by patient) the patient's
 * unparsed lines, which `assemblePatientLines` with the population's `lineAssembly` makes a record. */
export type PatientGroup = { kind: "record"; record: PatientRecord } | { kind: "lines"; group: PatientLines };

/** `groups()` found the NDJSON files not ordered by patient (or a Medication the lookup lacked)
 * after it had yielded groups: everything since the first group is to be discarded. The groups
 * after it come from the SQLite spill, every patient again, and the stats start again from
 * nothing when the next group is asked for. */
export interface Restart {
  kind: "restart";
  reason: string;
}

export interface GroupsOptions {
  /** Group by the SQLite spill at once (a resumed run that has already found the files unordered). */
  spill?: boolean;
}

export interface Population {
  /** Counts so far; complete once `patients()` (or `groups()`) has been read to the end. */
  stats: PopulationStats;
  /** The patients, one at a time. Read it once. */
  patients(): AsyncGenerator<PatientRecord>;
  /**
   * The same patients, leaving the parsing of NDJSON lines to the caller (the population job
   * does it on its scoring threads). The caller must count what it parses into `stats`
   * (skipped-lines.ts addStats). Without a dry run: it may yield a `Restart` (NDJSON only, at
   * most once), after which every patient comes again. Read it once, and not together with
   * `patients()`.
   */
  groups(options?: GroupsOptions): AsyncGenerator<PatientGroup | Restart>;
  /** What turns a lines group into a record; its Medications are complete once the first group
   * has been yielded, and do not change after. */
  lineAssembly: LineAssembly;
}

export async function openPopulation(dir: string, options: ReadPopulationOptions = {}): Promise<Population> {
  const info = await stat(dir).catch((error: unknown) => {
    throw unreadableFolder(dir, error);
  });
  if (!info.isDirectory()) throw unreadableFolder(dir, null);
  const medications = new Map<string, Medication>();
  const lineAssembly: LineAssembly = {
    medications,
    selection: { resourceTypes: options.resourceTypes, keepOfType: options.keepOfType, keptAsContext: options.keptAsContext },
    ...(options.fhirBaseUrl === undefined ? {} : { fhirBaseUrl: options.fhirBaseUrl }),
  };
  if ((await listNdjsonFiles(dir)).length > 0) {
    const stats = emptyStats("ndjson");
    const policy = countingPolicy(stats, options.skipBadLines === true, options.onBadLine);
    const read = (mode: GroupingMode) => countPatients(readNdjsonDirectory(dir, stats, medications, policy, options, mode), stats);
    return {
      stats,
      groups: (groupsOptions = {}) => read(groupsOptions.spill === true ? "spill" : "optimistic"),
      patients: () => assembleGroups(read("checked") as AsyncGenerator<PatientGroup>, lineAssembly, stats, policy),
      lineAssembly,
    };
  }
  if ((await listJsonFiles(dir)).length > 0) {
    const stats = emptyStats("bundle");
    const patients = () => countPatients(readBundleDirectory(dir, stats, options), stats);
    return { stats, groups: () => asGroups(patients()), patients, lineAssembly };
  }
  throw new PopulationInputError(dir, null, NO_INPUT_FILES);
}

async function* countPatients<T>(groups: AsyncGenerator<T>, stats: PopulationStats): AsyncGenerator<T> {
  for await (const group of groups) {
    if ((group as { kind?: unknown }).kind !== "restart") stats.patients += 1;
    yield group;
  }
}

async function* asGroups(records: AsyncGenerator<PatientRecord>): AsyncGenerator<PatientGroup> {
  for await (const record of records) yield { kind: "record", record };
}

/** `patients()`: the groups, with lines parsed and assembled on this thread. */
async function* assembleGroups(groups: AsyncGenerator<PatientGroup>, assembly: LineAssembly, stats: PopulationStats, policy: BadLinePolicy): AsyncGenerator<PatientRecord> {
  for await (const group of groups) yield group.kind === "record" ? group.record : assemblePatientLines(group.group, assembly, stats, policy);
}

/**
 * "checked": the dry run decides between the merge join and the spill before anything is
 * yielded. "optimistic": the merge join at once, a Restart and the spill if it fails.
 * "spill": the spill at once.
 */
type GroupingMode = "checked" | "optimistic" | "spill";

/** The most NDJSON files the merge join reads at once (each open, with its 1 MiB read chunk). */
export const MERGE_JOIN_MAX_FILES = 128;

/** A Medication line met by the optimistic join that the lookup read first did not hold as is.
 * Said by its file's label, never its id: the reason goes to stderr, and an id is the input's text. */
class LateMedicationError extends NotOrderedError {
  constructor(file: string) {
    super(`a Medication in ${entryLabel(basename(file))} that the Medication files read before the patients do not hold as it is`);
  }
}

/** A Map that keeps nothing: the optimistic join counts Medications but never changes the lookup. */
class DiscardingMap<K, V> extends Map<K, V> {
  override set(): this {
    return this;
  }
}

async function* readNdjsonDirectory(
  dir: string,
  stats: PopulationStats,
  medications: Map<string, Medication>,
  policy: BadLinePolicy,
  options: ReadPopulationOptions,
  mode: GroupingMode,
): AsyncGenerator<PatientGroup | Restart> {
  const files = await scanNdjsonDirectory(dir);
  stats.ignoredFiles.push(...files.ignored);
  for (const { file, reason } of files.ignored) options.onBadFile?.(file, reason);

  // The merge join keeps every file open with a read chunk of its own (ndjson-byte-lines.ts): an
  // export split into thousands of files passed the memory target (3.1 GB for 2,666 files) and
  // the default limit of 1,024 open files. Past MERGE_JOIN_MAX_FILES the spill, which reads one
  // file at a time, groups them.
  const joinable = files.patientFiles.length + files.otherFiles.length <= MERGE_JOIN_MAX_FILES;
  if (joinable && mode === "checked" && (await isOrderedByPatient(files.patientFiles, files.otherFiles, medications, options))) {
    // The same cheap placement as the dry run: the lines are parsed once, by whoever assembles them.
    yield* joinedGroups(files, quickPlacer(medications, policy, stats), stats);
    return;
  }
  if (joinable && mode === "optimistic" && files.patientFiles.length > 0) {
    await readMedicationFiles(files.medicationFiles, medications, options);
    const preRead = new Set(files.medicationFiles);
    // Counted as the dry-run join counts them; a Medication the lookup lacks ends the join.
    const checkMedication = (resource: Resource, file: string) => {
      if (resource.resourceType !== "Medication" || typeof resource.id !== "string" || preRead.has(file)) return;
      // One the lookup lacks, or a version it would have kept instead of its own, changes the
      // records already yielded; an older version, or the same again, changes nothing.
      const known = medications.get(resource.id);
      if (known === undefined || isPreferredMedication(resource as Medication, known)) throw new LateMedicationError(file);
    };
    try {
      yield* joinedGroups(files, quickPlacer(new DiscardingMap(), policy, stats, checkMedication), stats);
      return;
    } catch (error) {
      if (!(error instanceof NotOrderedError)) throw error;
      yield { kind: "restart", reason: error.message };
    }
    // What the join counted (here and on the caller's threads) is discarded with its groups;
    // the directory's scan (ignoredFiles) stands.
    Object.assign(stats, { ...emptyStats(stats.format), ignoredFiles: stats.ignoredFiles });
    medications.clear();
  }
  yield* spilledGroups(files, stats, medications, policy, options);
}

/** The merge join of cheaply placed lines: each patient's unparsed lines. */
async function* joinedGroups(files: NdjsonDirectory, quick: ReturnType<typeof quickPlacer>, stats: PopulationStats): AsyncGenerator<PatientGroup> {
  stats.grouping = "merge-join";
  for await (const { patientId, items } of joinPlacedLines(files, quick, () => new LineColumns())) yield { kind: "lines", group: { patientId, lines: items } };
}

/** The merge join over lines placed by `quick` (the dry run and the real join read alike), each
 * patient's lines held as columns (no object a line while the patient is collected and sent). */
function joinPlacedLines<G extends ItemSink<PlacedLine>>(
  files: Pick<NdjsonDirectory, "patientFiles" | "otherFiles">,
  quick: ReturnType<typeof quickPlacer>,
  collect: () => G,
) {
  return mergeJoin<PlacedLine, G>({
    patientFiles: files.patientFiles,
    otherFiles: files.otherFiles,
    read: (file) => placedBatches(file, quick),
    place: (item) => item.patientId,
    typeOf: (item) => reportedType(item.type),
    collect,
  });
}

/** A bad line as the merge join sees it: of no patient (in a Patient file, maybe a Patient's). */
const NO_BYTES = Buffer.alloc(0);
const unreadableLine = (file: string, line: number): PlacedLine => ({ type: "", patientId: null, bytes: NO_BYTES, file, line });

/** A file's lines as the merge join reads them: placed by `quick`, a chunk read at a time. A bad
 * line, which `quick` reports, stays in its place as a line of no patient: the join must see
 * where a Patient file had a line it could not read (ndjson-merge-join.ts). */
async function* placedBatches(file: string, quick: ReturnType<typeof quickPlacer>): AsyncGenerator<PlacedLine[]> {
  for await (const lines of readNdjsonLineBatches(file)) {
    const items: PlacedLine[] = [];
    for (let i = 0; i < lines.bytes.length; i++) {
      // Null bytes (a line too long to hold) reach the placer, which reports it as a bad line.
      const line = lines.lines[i]!;
      items.push(quick(lines.bytes[i] as Buffer | null, file, line) ?? unreadableLine(file, line));
    }
    yield items;
  }
}

async function* spilledGroups(
  files: NdjsonDirectory,
  stats: PopulationStats,
  medications: Map<string, Medication>,
  policy: BadLinePolicy,
  options: ReadPopulationOptions,
): AsyncGenerator<PatientGroup> {
  stats.grouping = "sqlite-spill";
  const place = (resource: Parameters<typeof placeResource>[0]) => placeResource(resource, stats, medications);
  const context = (patientId: string) => ndjsonPatientContext(patientId, options.fhirBaseUrl);
  // What the record would drop as not model input never reaches the spill's disk or memory.
  const keep = (resource: Resource, patientId: string) => keptForRecord(resource, context(patientId), options, stats);
  const spill = { files: [...files.patientFiles, ...files.otherFiles], policy, place, keep, tempDir: options.tempDir, onGrouping: options.onGrouping };
  for await (const group of spillAndGroup(spill)) {
    yield { kind: "record", record: assembleRecord(context(group.patientId), group.resources, (id) => medications.get(id), options, stats) };
  }
}

/** The Medication files into the lookup, before the optimistic join (they are few and small);
 * counted by the join, which reads them again. */
async function readMedicationFiles(medicationFiles: string[], medications: Map<string, Medication>, options: ReadPopulationOptions): Promise<void> {
  const quick = quickPlacer(medications, { skipBadLines: options.skipBadLines === true, onSkip: () => undefined });
  for (const file of medicationFiles) {
    for await (const { bytes, line } of readNdjsonByteLines(file)) quick(bytes, file, line);
  }
}

const DISCARD: ItemSink<PlacedLine> = { push: () => undefined };

/** The merge join's dry run on cheaply placed lines; Medications go to the real lookup. */
async function isOrderedByPatient(
  patientFiles: string[],
  otherFiles: string[],
  medications: Map<string, Medication>,
  options: ReadPopulationOptions,
): Promise<boolean> {
  if (patientFiles.length === 0) return false;
  const policy: BadLinePolicy = { skipBadLines: options.skipBadLines === true, onSkip: () => undefined };
  try {
    for await (const _ of joinPlacedLines({ patientFiles, otherFiles }, quickPlacer(medications, policy), () => DISCARD)) {
      // Only the order matters here: a patient's lines are not kept.
    }
    return true;
  } catch (error) {
    if (error instanceof NotOrderedError) return false;
    throw error;
  }
}
