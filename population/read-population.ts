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
import { readNdjsonFile, readNdjsonLines, type BadLinePolicy, type NdjsonItem } from "./ndjson-lines.ts";
import { quickPlacer, type QuickItem } from "./ndjson-quick-place.ts";
import { spillAndGroup } from "./ndjson-sqlite-spill.ts";
import { assembleRecord, placeResource, wantsType } from "./record-assembler.ts";
import { emptyStats, increment, type PatientRecord, type PopulationStats, type ReadPopulationOptions } from "./types.ts";

export interface Population {
  /** Counts so far; complete once `patients()` has been read to the end. */
  stats: PopulationStats;
  /** The patients, one at a time. Read it once. */
  patients(): AsyncGenerator<PatientRecord>;
}

export async function openPopulation(dir: string, options: ReadPopulationOptions = {}): Promise<Population> {
  const info = await stat(dir).catch(() => null);
  if (info === null || !info.isDirectory()) throw new PopulationInputError(dir, null, "not a directory");
  if ((await listNdjsonFiles(dir)).length > 0) {
    const stats = emptyStats("ndjson");
    return { stats, patients: () => countPatients(readNdjsonDirectory(dir, stats, options), stats) };
  }
  if ((await listJsonFiles(dir)).length > 0) {
    const stats = emptyStats("bundle");
    return { stats, patients: () => countPatients(readBundleDirectory(dir, stats, options), stats) };
  }
  throw new PopulationInputError(dir, null, "no FHIR NDJSON (*.ndjson) or Bundle (*.json) files");
}

async function* countPatients(records: AsyncGenerator<PatientRecord>, stats: PopulationStats): AsyncGenerator<PatientRecord> {
  for await (const record of records) {
    stats.patients += 1;
    yield record;
  }
}

async function* readNdjsonDirectory(
  dir: string,
  stats: PopulationStats,
  options: ReadPopulationOptions,
): AsyncGenerator<PatientRecord> {
  const files = await scanNdjsonDirectory(dir);
  stats.ignoredFiles.push(...files.ignored);
  const medications = new Map<string, Medication>();
  const policy: BadLinePolicy = {
    skipBadLines: options.skipBadLines === true,
    onSkip: (reason) => increment(stats.skipped, reason),
  };
  const place = (resource: Parameters<typeof placeResource>[0]) => placeResource(resource, stats, medications);
  const keep = (type: string) => wantsType(type, options.resourceTypes);
  const lookup = (id: string) => medications.get(id);
  // NDJSON has no Bundle, so no urn:uuid can be proven to name a patient.
  const contextOf = (patientId: string) => ({ patientId, ...(options.fhirBaseUrl ? { fhirBaseUrl: options.fhirBaseUrl } : {}) });

  if (await isOrderedByPatient(files.patientFiles, files.otherFiles, medications, options)) {
    stats.grouping = "merge-join";
    const join = mergeJoin<NdjsonItem>({
      ...files,
      read: (file) => readNdjsonFile(file, policy),
      place: (item) => place(item.resource)?.patientId ?? null,
      typeOf: (item) => item.resource.resourceType,
    });
    for await (const group of join) {
      const resources = group.items.map((item) => item.resource).filter((r) => keep(r.resourceType));
      yield assembleRecord(contextOf(group.patientId), resources, lookup, stats);
    }
    return;
  }
  stats.grouping = "sqlite-spill";
  const spill = { files: [...files.patientFiles, ...files.otherFiles], policy, place, keep, tempDir: options.tempDir };
  for await (const group of spillAndGroup(spill)) yield assembleRecord(contextOf(group.patientId), group.resources, lookup, stats);
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
    for await (const { text, line } of readNdjsonLines(file)) {
      const item = quick(text, file, line);
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
