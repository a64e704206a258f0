/**
 * Reading a directory of FHIR Bundle JSON files (one Bundle per file, e.g. Synthea's
 * transaction Bundles, one per patient). Bundles without a Patient (Synthea's
 * hospitalInformation*.json, practitionerInformation*.json) hold shared resources: they are
 * read first, whatever their names, so that Medications they carry can be looked up.
 *
 * Memory: one Bundle file at a time (a patient's Bundle is a few MB). A patient's resources
 * must all be in one Bundle file; a patient spread over several files is yielded once per file.
 * Medications inside a patient's Bundle are looked up within that Bundle only, so the shared
 * lookup does not grow with the population.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Medication, Resource } from "fhir/r4";
import { PopulationInputError } from "./input-error.ts";
import { isResource } from "./ndjson-lines.ts";
import { parseReference } from "../shared/fhir-references.ts";
import { assembleRecord, placeResource, wantsType } from "./record-assembler.ts";
import type { PatientRecord, PopulationStats, ReadPopulationOptions } from "./types.ts";
import { increment } from "./types.ts";

const HAS_PATIENT = /"resourceType"\s*:\s*"Patient"/;

interface Entry {
  resource: Resource;
  fullUrl?: string;
}

export async function listJsonFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith(".json")).sort();
}

/** Yields the patients of every Bundle file in `dir`, counting into `stats`. */
export async function* readBundleDirectory(
  dir: string,
  stats: PopulationStats,
  options: ReadPopulationOptions,
): AsyncGenerator<PatientRecord> {
  const names = await listJsonFiles(dir);
  const hasPatient = new Uint8Array(names.length);
  const shared = new Map<string, Medication>();
  for (const [i, name] of names.entries()) {
    const text = await readFile(join(dir, name), "utf8");
    if (HAS_PATIENT.test(text)) {
      hasPatient[i] = 1;
      continue;
    }
    for (const entry of parseBundleFile(text, name, stats, options)) placeResource(entry.resource, stats, shared);
  }
  for (const [i, name] of names.entries()) {
    if (hasPatient[i] !== 1) continue;
    const entries = parseBundleFile(await readFile(join(dir, name), "utf8"), name, stats, options);
    yield* patientsOfBundle(entries, stats, shared, options);
  }
}

/** The entries of a Bundle file; a file holding one non-Bundle resource counts as one entry. */
function parseBundleFile(text: string, name: string, stats: PopulationStats, options: ReadPopulationOptions): Entry[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (options.skipBadLines !== true) {
      throw new PopulationInputError(name, null, `not valid JSON (${(error as Error).message}); use --skip-bad-lines to count and skip such files`);
    }
    increment(stats.skipped, "file is not valid JSON");
    stats.ignoredFiles.push({ file: name, reason: "not valid JSON" });
    return [];
  }
  if (!isResource(value)) {
    stats.ignoredFiles.push({ file: name, reason: "not a FHIR resource" });
    return [];
  }
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

function patientsOfBundle(
  entries: Entry[],
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
    const placement = placeResource(resource, stats, local);
    if (resource.resourceType === "Medication") {
      const target = parseReference(fullUrl);
      if (target !== null) local.set(target.id, resource as Medication);
    }
    if (placement === null || !wantsType(resource.resourceType, options.resourceTypes)) continue;
    const patientId = aliases.get(placement.patientId) ?? placement.patientId;
    let group = groups.get(patientId);
    if (group === undefined) groups.set(patientId, (group = []));
    group.push(resource);
  }
  return [...groups].map(([patientId, resources]) => {
    const context = {
      patientId,
      ...(options.fhirBaseUrl ? { fhirBaseUrl: options.fhirBaseUrl } : {}),
      ...(patientUrns.has(patientId) ? { patientUrns: patientUrns.get(patientId)! } : {}),
    };
    return assembleRecord(context, resources, (id) => local.get(id) ?? shared.get(id), stats);
  });
}
