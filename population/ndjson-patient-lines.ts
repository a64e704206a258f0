/**
 * One patient's NDJSON lines as the merge join groups them (placed by ndjson-quick-place.ts,
 * not yet parsed), and how they become the patient's record. The reading thread does this for
 * `patients()`; the population job sends the lines to its scoring threads instead, so that the
 * parsing, which costs more than the reading, is shared over every core.
 */
import type { Medication, Resource } from "fhir/r4";
import { LineIdCheck } from "./line-id-check.ts";
import { parseNdjsonBytes, type BadLinePolicy } from "./ndjson-lines.ts";
import { assembleRecord, keptForRecord, ndjsonPatientContext, placeResource, type ResourceSelection } from "./record-assembler.ts";
import { increment, type PatientRecord, type PopulationStats } from "./types.ts";

export interface PatientLine {
  /** The line's UTF-8 bytes. */
  bytes: Uint8Array;
  file: string;
  line: number;
}

/** Lines to read in order: an array, or lines held as columns whose objects are made as they
 * are read (line-columns.ts: the merge join's groups and the batches a scoring thread receives). */
export interface LineList extends Iterable<PatientLine> {
  readonly length: number;
}

export interface PatientLines {
  patientId: string;
  lines: LineList;
}

/** What turning lines into a record needs besides the lines. */
export interface LineAssembly {
  /** The shared Medication lookup, complete before the first patient is yielded. */
  medications: ReadonlyMap<string, Medication>;
  /** The resources asked for (ReadPopulationOptions resourceTypes, keepOfType and keptAsContext). */
  selection: ResourceSelection;
  fhirBaseUrl?: string;
}

/**
 * Parses the lines (bad ones per `policy`), counts every resource in `stats` as the reader
 * does, and assembles the record. A line the quick placement put under this patient always
 * names them when parsed (ndjson-quick-place.ts parses whatever it cannot settle); should one
 * not, it is counted, not added.
 */
export function assemblePatientLines(group: PatientLines, assembly: LineAssembly, stats: PopulationStats, policy: BadLinePolicy): PatientRecord {
  const resources: Resource[] = [];
  const context = ndjsonPatientContext(group.patientId, assembly.fhirBaseUrl);
  // Lines placed on a patient are never Medications, so nothing is added to this map.
  const noNewMedications = new Map<string, Medication>();
  // The Patients were checked where their lines were placed (ndjson-quick-place.ts).
  const ids = new LineIdCheck(policy, false);
  for (const { bytes, file, line } of group.lines) {
    const resource = parseNdjsonBytes(bytes, file, line, policy)?.resource;
    if (resource === undefined) continue;
    if (resource.resourceType !== "Patient") ids.check(resource, file, line);
    const placed = placeResource(resource, stats, noNewMedications);
    if (placed === null) continue;
    if (placed.patientId !== group.patientId) increment(stats.skipped, "placed under another patient by the quick read");
    else if (keptForRecord(resource, context, assembly.selection, stats)) resources.push(resource);
  }
  return assembleRecord(context, resources, (id) => assembly.medications.get(id), assembly.selection, stats);
}
