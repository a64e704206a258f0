/**
 * Reading a directory of FHIR Bundle JSON files (one Bundle per file, e.g. Synthea's
 * transaction Bundles, one per patient). Bundles without a Patient (Synthea's
 * hospitalInformation*.json, practitionerInformation*.json) hold shared resources: they are
 * read first, whatever their names, so that Medications they carry can be looked up.
 *
 * Memory: one Bundle file at a time (a patient's Bundle is a few MB), plus the name of the file
 * each patient was read from. A patient is read from the file that holds their Patient, and
 * only from it: their resources in any other file are counted as skipped, and a Patient in two
 * files stops the read (skipBadLines: the later file's resources of that patient are skipped).
 * Medications inside a patient's Bundle are looked up within that Bundle only, so the shared
 * lookup does not grow with the population.
 */
import { open, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Medication, Resource } from "fhir/r4";
import { bundleFileLabel } from "./bundle-file-label.ts";
import { PopulationInputError } from "./input-error.ts";
import { isResource, jsonErrorWithoutText } from "./ndjson-lines.ts";
import { parseReference } from "../shared/fhir-references.ts";
import { assembleRecord, keepPreferredMedication, placeResource, wantsType } from "./record-assembler.ts";
import type { PatientRecord, PopulationStats, ReadPopulationOptions } from "./types.ts";
import { increment } from "./types.ts";

/** Matches the text of a file that holds a Patient (the pattern is ASCII, so it finds the same
 * places in a Latin-1 view of the bytes as in the UTF-8 text). */
const HAS_PATIENT = /"resourceType"\s*:\s*"Patient"/;

/** Bytes read at a time while looking for a file's Patient. */
export const SCAN_CHUNK_BYTES = 64 * 1024;

/** Characters of a chunk kept for the next one, so that a Patient split by the chunk boundary is
 * found: the match is about 26 characters plus the whitespace a JSON writer puts around the colon
 * (a few spaces). A match hidden by more whitespace than this is missed here: the reader then finds
 * it in the file's whole text, and only the expected-patient count is low. */
const CHUNK_OVERLAP = 1024;

/**
 * True when the file holds a Patient: how the reader tells patients' files from shared ones, and
 * how the expected-patient count counts them. Reads only up to the first Patient, which Synthea
 * writes as a Bundle's first entry, so a patient's file costs one chunk and only files without a
 * Patient are read whole.
 * A file handle and one reused buffer: about four times faster than a read stream per file.
 */
export async function holdsPatient(file: string, buffer: Buffer): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    let tail = "";
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return false;
      // Latin-1: the pattern is ASCII, and a chunk boundary may split a UTF-8 character.
      const text = tail + buffer.toString("latin1", 0, bytesRead);
      if (HAS_PATIENT.test(text)) return true;
      tail = text.slice(-CHUNK_OVERLAP);
    }
  } finally {
    await handle.close();
  }
}

/** Reasons in `stats.skipped` (fixed strings: no patient ids). */
const SKIPPED_WITHOUT_ITS_PATIENT = "in a Bundle file without its Patient";
const SKIPPED_PATIENT_READ_BEFORE = "patient already read from an earlier Bundle file";

interface Entry {
  resource: Resource;
  fullUrl?: string;
}

export async function listJsonFiles(dir: string): Promise<string[]> {
  return jsonNames(await readdir(dir));
}

/** Of a directory's file names, the Bundle files the reader reads. */
export const jsonNames = (names: readonly string[]): string[] => names.filter((name) => name.endsWith(".json")).sort();

/** Yields the patients of every Bundle file in `dir`, counting into `stats`; never a patient twice. */
export async function* readBundleDirectory(
  dir: string,
  stats: PopulationStats,
  options: ReadPopulationOptions,
): AsyncGenerator<PatientRecord> {
  const shared = new Map<string, Medication>();
  const patientFiles = await readSharedFiles(dir, await listJsonFiles(dir), shared, stats, options);
  // The file each patient was read from (a name from the directory listing, not a copy).
  const readFrom = new Map<string, string>();
  for (const name of patientFiles) {
    const entries = parseBundleFile(await readFile(join(dir, name), "utf8"), name, stats, options);
    yield* patientsOfBundle(entries, name, readFrom, stats, shared, options);
  }
}

/**
 * Reads the files that hold no Patient, putting their Medications into `shared`, and returns the
 * names of the others, in order. A patient's resources found here are counted as skipped: the
 * README requires a patient's resources to be in their Patient's file, and attaching them
 * across files would mean holding every file's patient resources until the end.
 */
async function readSharedFiles(
  dir: string,
  names: string[],
  shared: Map<string, Medication>,
  stats: PopulationStats,
  options: ReadPopulationOptions,
): Promise<string[]> {
  const patientFiles: string[] = [];
  const buffer = Buffer.allocUnsafe(SCAN_CHUNK_BYTES);
  for (const name of names) {
    // A patient's file costs one chunk here; it is read whole once, when its patients are read.
    if (await holdsPatient(join(dir, name), buffer)) {
      patientFiles.push(name);
      continue;
    }
    const text = await readFile(join(dir, name), "utf8");
    // The whole text decides: a Patient hidden from the chunked look by a boundary is still one.
    if (HAS_PATIENT.test(text)) {
      patientFiles.push(name);
      continue;
    }
    for (const { resource } of parseBundleFile(text, name, stats, options)) {
      if (wantedPatientId(resource, stats, shared, options) !== null) increment(stats.skipped, SKIPPED_WITHOUT_ITS_PATIENT);
    }
  }
  return patientFiles;
}

/**
 * Counts the resource (placeResource, which also puts Medications into `medications`) and
 * returns the id its patient reference names, or null when it goes to no patient or the caller
 * did not ask for its type (such resources are not skipped data, so they are not counted as
 * skipped, wherever they are).
 */
function wantedPatientId(
  resource: Resource,
  stats: PopulationStats,
  medications: Map<string, Medication>,
  options: ReadPopulationOptions,
): string | null {
  const placement = placeResource(resource, stats, medications);
  return placement !== null && wantsType(resource.resourceType, options.resourceTypes) ? placement.patientId : null;
}

/** A file listed as not read, by its label (its name may hold a patient's), and told to the caller. */
function fileNotRead(name: string, reason: string, stats: PopulationStats, options: ReadPopulationOptions): Entry[] {
  const label = bundleFileLabel(name);
  stats.ignoredFiles.push({ file: label, reason });
  options.onBadFile?.(label, reason);
  return [];
}

/** The entries of a Bundle file; a file holding one non-Bundle resource counts as one entry. */
function parseBundleFile(text: string, name: string, stats: PopulationStats, options: ReadPopulationOptions): Entry[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (options.skipBadLines !== true) {
      throw new PopulationInputError(name, null, `not valid JSON (${jsonErrorWithoutText(error)}); use --skip-bad-lines to count and skip such files`);
    }
    increment(stats.skipped, "file is not valid JSON");
    return fileNotRead(name, "not valid JSON", stats, options);
  }
  if (!isResource(value)) return fileNotRead(name, "not a FHIR resource", stats, options);
  if (value.resourceType !== "Bundle") return [{ resource: value }];
  const entries: Entry[] = [];
  const rawEntries = (value as { entry?: unknown }).entry;
  for (const entry of Array.isArray(rawEntries) ? (rawEntries as unknown[]) : []) {
    const resource = (entry as { resource?: unknown } | null)?.resource;
    if (!isResource(resource)) {
      increment(stats.skipped, "Bundle entry without a FHIR resource");
      continue;
    }
    const fullUrl = (entry as { fullUrl?: unknown }).fullUrl;
    entries.push(typeof fullUrl === "string" ? { resource: withUuidId(resource, fullUrl), fullUrl } : { resource });
  }
  return entries;
}

/**
 * A resource without an id, named in its Bundle only by a `urn:uuid:` fullUrl (a transaction
 * that POSTs new resources), gets that uuid as its id: references to it are `urn:uuid:<uuid>`,
 * which the feature builder reads as the id, and a Patient without an id would be dropped.
 */
function withUuidId(resource: Resource, fullUrl: string): Resource {
  if (typeof resource.id === "string") return resource;
  const target = parseReference(fullUrl);
  return target !== null && target.type === null ? { ...resource, id: target.id } : resource;
}

/**
 * The records of the patients whose Patient this Bundle file holds. Resources grouped under any
 * other patient (their Patient is in another file, or in none) are counted as skipped rather
 * than yielded: a second record of a patient would be scored twice, and a record without its
 * Patient cannot be scored at all.
 */
function patientsOfBundle(
  entries: Entry[],
  file: string,
  readFrom: Map<string, string>,
  stats: PopulationStats,
  shared: Map<string, Medication>,
  options: ReadPopulationOptions,
): PatientRecord[] {
  // A reference `urn:uuid:X` names the entry whose fullUrl is urn:uuid:X, whose id may differ.
  const aliases = new Map<string, string>();
  // The urn:uuid fullUrls of each patient's Patient entry: references to them name that patient.
  const patientUrns = new Map<string, Set<string>>();
  for (const { resource, fullUrl } of entries) {
    const target = parseReference(fullUrl);
    if (resource.resourceType === "Patient" && target !== null && typeof resource.id === "string") {
      aliases.set(target.id, resource.id);
      if (target.type === null) patientUrns.set(resource.id, (patientUrns.get(resource.id) ?? new Set()).add(fullUrl!));
    }
  }
  const local = new Map<string, Medication>();
  const groups = new Map<string, Resource[]>();
  for (const { resource, fullUrl } of entries) {
    const referencedId = wantedPatientId(resource, stats, local, options);
    if (resource.resourceType === "Medication") {
      const target = parseReference(fullUrl);
      if (target !== null) keepPreferredMedication(local, target.id, resource as Medication);
    }
    if (referencedId === null) continue;
    const patientId = aliases.get(referencedId) ?? referencedId;
    let group = groups.get(patientId);
    if (group === undefined) groups.set(patientId, (group = []));
    group.push(resource);
  }
  const records: PatientRecord[] = [];
  for (const [patientId, resources] of groups) {
    if (!holdsOwnPatient(resources, patientId)) {
      increment(stats.skipped, SKIPPED_WITHOUT_ITS_PATIENT, resources.length);
    } else if (isFirstReading(patientId, file, readFrom, resources.length, stats, options)) {
      const context = {
        patientId,
        ...(options.fhirBaseUrl ? { fhirBaseUrl: options.fhirBaseUrl } : {}),
        ...(patientUrns.has(patientId) ? { patientUrns: patientUrns.get(patientId)! } : {}),
      };
      records.push(assembleRecord(context, resources, (id) => local.get(id) ?? shared.get(id), stats));
    }
  }
  return records;
}

/** True when the patient's resources in this file include their Patient. */
function holdsOwnPatient(resources: Resource[], patientId: string): boolean {
  return resources.some((resource) => resource.resourceType === "Patient" && resource.id === patientId);
}

/**
 * True when no earlier file held this patient's Patient (the patient is then read from `file`).
 * Otherwise the read stops naming both files, as the README requires a patient's resources to be
 * in one file and there is no telling which file is right (the error names files, never the
 * patient); with skipBadLines this file's resources of the patient are counted as skipped, so the
 * earlier file (by name) wins on every run.
 */
function isFirstReading(
  patientId: string,
  file: string,
  readFrom: Map<string, string>,
  resourceCount: number,
  stats: PopulationStats,
  options: ReadPopulationOptions,
): boolean {
  const earlier = readFrom.get(patientId);
  if (earlier === undefined) {
    readFrom.set(patientId, file);
    return true;
  }
  if (options.skipBadLines !== true) {
    throw new PopulationInputError(
      file,
      null,
      `holds a Patient already read from ${earlier}: a patient's resources must be in one Bundle file; use --skip-bad-lines to count and skip the later file's resources of such a patient`,
    );
  }
  increment(stats.skipped, SKIPPED_PATIENT_READ_BEFORE, resourceCount);
  return false;
}
