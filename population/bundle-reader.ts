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
 *
 * A name that cannot be read as a file (a broken symbolic link, no read permission, a folder or
 * a FIFO named *.json, a file over MAX_BUNDLE_FILE_BYTES) or a Bundle whose `entry` is not an
 * array is a bad file, as one that is not JSON: it stops the read naming the file, or with
 * skipBadLines is counted in `skipped` ("Bundle file not read: <reason>") and listed by its label.
 */
import { readdir, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import type { Medication, Resource } from "fhir/r4";
import { HAS_PATIENT, MAX_BUNDLE_FILE_BYTES, openBundleFile, readText, SCAN_CHUNK_BYTES, scanForPatient, unreadableReason } from "./bundle-file.ts";
import { entryLabel } from "./input-file-label.ts";
import { PopulationInputError } from "./input-error.ts";
import { entriesNotRead } from "./ndjson-directory.ts";
import { isResource, jsonErrorWithoutText } from "./ndjson-lines.ts";
import { parseReference } from "../shared/fhir-references.ts";
import { assembleRecord, keepPreferredMedication, placeResource, wanted } from "./record-assembler.ts";
import type { PatientRecord, PopulationStats, ReadPopulationOptions } from "./types.ts";
import { increment } from "./types.ts";

/** Reasons in `stats.skipped` (fixed strings: no patient ids). */
const SKIPPED_WITHOUT_ITS_PATIENT = "in a Bundle file without its Patient";
const SKIPPED_PATIENT_READ_BEFORE = "patient already read from an earlier Bundle file";

/** Why a Bundle file with a Bundle (it, or one inside it) whose `entry` is not an array is not read. */
const ENTRY_NOT_AN_ARRAY = "Bundle entry is not an array";

interface Entry {
  resource: Resource;
  fullUrl?: string;
}

export async function listJsonFiles(dir: string): Promise<string[]> {
  return jsonNames(await readdir(dir));
}

/** Of a directory's file names, the Bundle files the reader reads. */
export const jsonNames = (names: readonly string[]): string[] => names.filter((name) => /\.json$/i.test(name)).sort();

/**
 * Yields the patients of every Bundle file in `dir`, counting into `stats`; never a patient twice.
 * `maxFileBytes` is MAX_BUNDLE_FILE_BYTES but for tests.
 */
export async function* readBundleDirectory(
  dir: string,
  stats: PopulationStats,
  options: ReadPopulationOptions,
  maxFileBytes = MAX_BUNDLE_FILE_BYTES,
): AsyncGenerator<PatientRecord> {
  const shared = new Map<string, Medication>();
  const entries = await readdir(dir, { withFileTypes: true });
  const names = jsonNames(entries.map((entry) => entry.name));
  // Nothing else in the folder is read (a .txt, a .ndjson.gz, a subfolder): each is listed, as in an NDJSON folder.
  for (const { file, reason } of await entriesNotRead(dir, entries, new Set(names), "bundle")) {
    stats.ignoredFiles.push({ file, reason });
    options.onBadFile?.(file, reason);
  }
  const patientFiles = await readSharedFiles(dir, names, shared, stats, options, maxFileBytes);
  // The file each patient was read from (a name from the directory listing, not a copy).
  const readFrom = new Map<string, string>();
  for (const name of patientFiles) {
    // Checked again: the file may have changed since readSharedFiles opened it.
    const read = await withBundleFile(dir, name, maxFileBytes, stats, options, readText);
    if (read === null) continue;
    const entries = parseBundleFile(read.value, name, stats, options);
    yield* patientsOfBundle(entries, name, readFrom, stats, shared, options);
  }
}

/**
 * What `use` gives of the open file; null when the file cannot be opened or read (a bad file:
 * thrown without skipBadLines, else counted and reported by badFile).
 */
async function withBundleFile<T>(
  dir: string,
  name: string,
  maxFileBytes: number,
  stats: PopulationStats,
  options: ReadPopulationOptions,
  use: (handle: FileHandle, size: number) => Promise<T>,
): Promise<{ value: T } | null> {
  const opened = await openBundleFile(join(dir, name), maxFileBytes);
  if ("reason" in opened) return badFile(name, opened.reason, stats, options);
  let reason: string;
  try {
    return { value: await use(opened.handle, opened.size) };
  } catch (error) {
    reason = unreadableReason(error);
  } finally {
    await opened.handle.close().catch(() => undefined);
  }
  return badFile(name, reason, stats, options);
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
  maxFileBytes: number,
): Promise<string[]> {
  const patientFiles: string[] = [];
  const buffer = Buffer.allocUnsafe(SCAN_CHUNK_BYTES);
  for (const name of names) {
    // A patient's file (its text null here) costs one chunk; it is read whole once, when its
    // patients are read. A file that cannot be read is reported here, before any patient is yielded.
    const read = await withBundleFile(dir, name, maxFileBytes, stats, options, async (handle, size) =>
      (await scanForPatient(handle, buffer)) ? null : readText(handle, size),
    );
    if (read === null) continue;
    const text = read.value;
    // The whole text decides: a Patient hidden from the chunked look by a boundary is still one.
    if (text === null || HAS_PATIENT.test(text)) {
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
 * did not ask for it (wanted: its type, or one its keepOfType turns away; such
 * resources are not skipped data, so they are not counted as skipped, wherever they are).
 */
function wantedPatientId(
  resource: Resource,
  stats: PopulationStats,
  medications: Map<string, Medication>,
  options: ReadPopulationOptions,
): string | null {
  const placement = placeResource(resource, stats, medications);
  return placement !== null && wanted(resource, options) ? placement.patientId : null;
}

/** A file listed as not read, by its label (its name may hold a patient's: input-file-label.ts),
 * and told to the caller. */
function fileNotRead(name: string, reason: string, stats: PopulationStats, options: ReadPopulationOptions): void {
  const label = entryLabel(name);
  stats.ignoredFiles.push({ file: label, reason });
  options.onBadFile?.(label, reason);
}

/**
 * A file that holds, or may hold, patients' resources and cannot be read (`reason`: a fixed
 * string, no name): stops the read naming the file, for the operator's terminal (with `detail`
 * after the reason when given), or with skipBadLines is counted in `skipped` ("Bundle file not
 * read: <reason>", one form for every such file) and listed by its label.
 */
function badFile(name: string, reason: string, stats: PopulationStats, options: ReadPopulationOptions, detail?: string): null {
  const why = detail === undefined ? reason : `${reason} (${detail})`;
  if (options.skipBadLines !== true) throw new PopulationInputError(name, null, `${why}; use --skip-bad-lines to count and skip such files`);
  increment(stats.skipped, `Bundle file not read: ${reason}`);
  fileNotRead(name, reason, stats, options);
  return null;
}

/** The entries of a Bundle file; a file holding one non-Bundle resource counts as one entry. */
function parseBundleFile(text: string, name: string, stats: PopulationStats, options: ReadPopulationOptions): Entry[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    badFile(name, "not valid JSON", stats, options, jsonErrorWithoutText(error));
    return [];
  }
  if (!isResource(value)) {
    fileNotRead(name, "not a FHIR resource", stats, options);
    return [];
  }
  if (value.resourceType !== "Bundle") return [{ resource: value }];
  const entries = bundleEntries(value, stats);
  if (entries === null) badFile(name, ENTRY_NOT_AN_ARRAY, stats, options);
  return entries ?? [];
}

/**
 * The entries of a Bundle, those of each Bundle inside it in its place (depth first, in the
 * file's order); null, with nothing counted, when one of these Bundles has an `entry` that is not
 * an array (the file is then not read at all: its patients would be scored without part of their
 * resources). A Bundle without `entry` is an empty one (a search that found nothing).
 *
 * A Bundle inside a Bundle is read, not skipped: a batch-response (the answer to a batch of
 * searches, one searchset Bundle an entry) or a collection of Bundles holds its patients'
 * resources there, and an analyst who gives the reader such a file expects those patients scored,
 * as they would be from the same resources in a flat Bundle; skipping it would score none of them.
 * Its entries are the file's: a patient is read from the one file that holds their Patient, and
 * a urn:uuid fullUrl names its entry for the whole file. The inner Bundles themselves are
 * containers, not counted in `resourcesByType` (as the file's own Bundle is not).
 */
function bundleEntries(bundle: Resource, stats: PopulationStats): Entry[] | null {
  const entries: Entry[] = [];
  let withoutResource = 0;
  // A stack rather than recursion: the nesting is as deep as the file makes it.
  const stack: { items: readonly unknown[]; next: number }[] = [];
  const open = (inner: Resource): boolean => {
    const items = (inner as { entry?: unknown }).entry;
    if (items === undefined) return true;
    if (!Array.isArray(items)) return false;
    stack.push({ items, next: 0 });
    return true;
  };
  if (!open(bundle)) return null;
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next === top.items.length) {
      stack.pop();
      continue;
    }
    const entry = top.items[top.next++];
    const resource = (entry as { resource?: unknown } | null)?.resource;
    if (!isResource(resource)) {
      withoutResource += 1;
    } else if (resource.resourceType === "Bundle") {
      if (!open(resource)) return null;
    } else {
      const fullUrl = (entry as { fullUrl?: unknown }).fullUrl;
      entries.push(typeof fullUrl === "string" ? { resource: withUuidId(resource, fullUrl), fullUrl } : { resource });
    }
  }
  if (withoutResource > 0) increment(stats.skipped, "Bundle entry without a FHIR resource", withoutResource);
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
      records.push(assembleRecord(context, resources, (id) => local.get(id) ?? shared.get(id), options, stats));
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
