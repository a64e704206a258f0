/**
 * Reading a population directory one patient at a time: a directory of FHIR NDJSON files
 * (Bulk Data style) or, when it has none, a directory of FHIR Bundle JSON files.
 *
 * NDJSON grouping: a dry run of the merge join first checks (streaming, memory flat) that
 * every file follows the Patient files' order; if so the real join streams the patients; if
 * not, the lines are spilled to a temporary SQLite database and read back grouped by patient.
 * The dry run also fills the Medication lookup before anything is yielded.
 */
import { stat } from "node:fs/promises";
import type { Medication } from "fhir/r4";
import { listJsonFiles, readBundleDirectory } from "./bundle-reader.ts";
import { PopulationInputError } from "./input-error.ts";
import { mergeJoin, NotOrderedError } from "./ndjson-merge-join.ts";
import { listNdjsonFiles, scanNdjsonDirectory } from "./ndjson-directory.ts";
import { readNdjsonByteLines } from "./ndjson-byte-lines.ts";
import type { BadLinePolicy } from "./ndjson-lines.ts";
import { assemblePatientLines, type LineAssembly, type PatientLine, type PatientLines } from "./ndjson-patient-lines.ts";
import { quickPlacer, type QuickItem } from "./ndjson-quick-place.ts";
import { spillAndGroup } from "./ndjson-sqlite-spill.ts";
import { assembleRecord, placeResource, wantsType } from "./record-assembler.ts";
import { countingPolicy } from "./skipped-lines.ts";
import { emptyStats, type PatientRecord, type PopulationStats, type ReadPopulationOptions } from "./types.ts";

/** A patient as the reader groups it: a record, or (NDJSON ordered by patient) the patient's
 * unparsed lines, which `assemblePatientLines` with the population's `lineAssembly` makes a record. */
export type PatientGroup = { kind: "record"; record: PatientRecord } | { kind: "lines"; group: PatientLines };

export interface Population {
  /** Counts so far; complete once `patients()` (or `groups()`) has been read to the end. */
  stats: PopulationStats;
  /** The patients, one at a time. Read it once. */
  patients(): AsyncGenerator<PatientRecord>;
  /**
   * The same patients, leaving the parsing of NDJSON lines to the caller (the population job
   * does it on its scoring threads). The caller must count what it parses into `stats`
   * (skipped-lines.ts addStats). Read it once, and not together with `patients()`.
   */
  groups(): AsyncGenerator<PatientGroup>;
  /** What turns a lines group into a record; its Medications are complete once the first group
   * has been yielded. */
  lineAssembly: LineAssembly;
}

export async function openPopulation(dir: string, options: ReadPopulationOptions = {}): Promise<Population> {
  const info = await stat(dir).catch(() => null);
  if (info === null || !info.isDirectory()) throw new PopulationInputError(dir, null, "not a directory");
  const medications = new Map<string, Medication>();
  const lineAssembly: LineAssembly = {
    medications,
    ...(options.resourceTypes === undefined ? {} : { resourceTypes: options.resourceTypes }),
    ...(options.fhirBaseUrl === undefined ? {} : { fhirBaseUrl: options.fhirBaseUrl }),
  };
  if ((await listNdjsonFiles(dir)).length > 0) {
    const stats = emptyStats("ndjson");
    const policy = countingPolicy(stats, options.skipBadLines === true, options.onBadLine);
    const groups = () => countPatients(readNdjsonDirectory(dir, stats, medications, policy, options), stats);
    return { stats, groups, patients: () => assembleGroups(groups(), lineAssembly, stats, policy), lineAssembly };
  }
  if ((await listJsonFiles(dir)).length > 0) {
    const stats = emptyStats("bundle");
    const patients = () => countPatients(readBundleDirectory(dir, stats, options), stats);
    return { stats, groups: () => asGroups(patients()), patients, lineAssembly };
  }
  throw new PopulationInputError(dir, null, "no FHIR NDJSON (*.ndjson) or Bundle (*.json) files");
}

async function* countPatients<T>(groups: AsyncGenerator<T>, stats: PopulationStats): AsyncGenerator<T> {
  for await (const group of groups) {
    stats.patients += 1;
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

async function* readNdjsonDirectory(
  dir: string,
  stats: PopulationStats,
  medications: Map<string, Medication>,
  policy: BadLinePolicy,
  options: ReadPopulationOptions,
): AsyncGenerator<PatientGroup> {
  const files = await scanNdjsonDirectory(dir);
  stats.ignoredFiles.push(...files.ignored);

  if (await isOrderedByPatient(files.patientFiles, files.otherFiles, medications, options)) {
    stats.grouping = "merge-join";
    // The same cheap placement as the dry run: the lines are parsed once, by whoever assembles them.
    const quick = quickPlacer(medications, policy, stats);
    async function* read(file: string): AsyncGenerator<QuickItem & PatientLine> {
      for await (const { bytes, line } of readNdjsonByteLines(file)) {
        const item = quick(bytes, file, line);
        if (item !== null) yield { type: item.type, patientId: item.patientId, bytes, file, line };
      }
    }
    const join = mergeJoin<QuickItem & PatientLine>({ ...files, read, place: (item) => item.patientId, typeOf: (item) => item.type });
    for await (const { patientId, items } of join) yield { kind: "lines", group: { patientId, lines: items } };
    return;
  }
  stats.grouping = "sqlite-spill";
  const place = (resource: Parameters<typeof placeResource>[0]) => placeResource(resource, stats, medications);
  const keep = (type: string) => wantsType(type, options.resourceTypes);
  // NDJSON has no Bundle, so no urn:uuid can be proven to name a patient.
  const context = (patientId: string) => ({ patientId, ...(options.fhirBaseUrl ? { fhirBaseUrl: options.fhirBaseUrl } : {}) });
  const spill = { files: [...files.patientFiles, ...files.otherFiles], policy, place, keep, tempDir: options.tempDir };
  for await (const group of spillAndGroup(spill)) {
    yield { kind: "record", record: assembleRecord(context(group.patientId), group.resources, (id) => medications.get(id), stats) };
  }
}

/** The merge join's dry run on cheaply placed lines; Medications go to the real lookup. */
async function isOrderedByPatient(
  patientFiles: string[],
  otherFiles: string[],
  medications: Map<string, Medication>,
  options: ReadPopulationOptions,
): Promise<boolean> {
  if (patientFiles.length === 0) return false;
  const policy: BadLinePolicy = { skipBadLines: options.skipBadLines === true, onSkip: () => undefined };
  const quick = quickPlacer(medications, policy);
  async function* read(file: string): AsyncGenerator<QuickItem> {
    for await (const { bytes, line } of readNdjsonByteLines(file)) {
      const item = quick(bytes, file, line);
      if (item !== null) yield item;
    }
  }
  try {
    const join = mergeJoin<QuickItem>({ patientFiles, otherFiles, read, place: (item) => item.patientId, typeOf: (item) => item.type });
    for await (const _ of join) {
      // Only the order matters here.
    }
    return true;
  } catch (error) {
    if (error instanceof NotOrderedError) return false;
    throw error;
  }
}
