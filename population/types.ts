/** Types shared by the population readers (NDJSON and Bundle directories). */
import type { Resource } from "fhir/r4";

/** One patient's record as the readers yield it. */
export interface PatientRecord {
  /** Patient.id, or the id in the references that name the patient when no Patient resource exists. */
  patientId: string;
  /** The patient's resources (the Patient first when present) plus the shared Medication
   * resources they reference. Order within a type follows the input. */
  resources: Resource[];
}

/** Options of readPopulation. */
export interface ReadPopulationOptions {
  /** Count lines (or Bundle files) that are not valid JSON as skipped instead of failing, and
   * Bundle files that cannot be read (bundle-reader.ts: a broken link, no permission, too large,
   * a Bundle whose entry is not an array). Default false: the first bad line stops the read with
   * an error naming file:line (or the file). */
  skipBadLines?: boolean;
  /** Keep only resources of these types in each record (plus the Patient and referenced
   * Medications: record-assembler.ts wanted). Default: keep every resource. Lowers memory and
   * time for consumers that read few types. */
  resourceTypes?: ReadonlySet<string>;
  /** Of the resources of a type kept, keep only those this accepts (the population job: of the
   * Procedures, the knee replacements). Default: all of them. What it turns away is passed over
   * as a type not asked for is: counted among the resources read, not as skipped. */
  keepOfType?: (resource: Resource) => boolean;
  /** Of the resources the model does not read (shared/model-input.ts), which the readers set
   * aside and count as skipped, keep those this accepts, for the consumer's own use beside the
   * model (the population job: the imaging AI's KL grade Observations, for its flag). Kept so,
   * they are not skipped, so not counted as such. Default: none. */
  keptAsContext?: (resource: Resource) => boolean;
  /** Called for each bad line skipped under `skipBadLines`, with its place ("file:line"), and for
   * each line read with a caveat (`read` true: stats.flagged). */
  onBadLine?: (where: string, reason: string, read?: boolean) => void;
  /** Called for each Bundle file not read (not JSON or not readable under `skipBadLines`, or JSON
   * that is not a FHIR resource), with its label (input-file-label.ts) and a fixed reason, never
   * its name, which may hold a patient's. */
  onBadFile?: (label: string, reason: string) => void;
  /** FHIR base URL the files were exported from: absolute patient references are accepted only
   * on it (shared/patient-compartment.ts). Default: none, so only relative ones (and, in a
   * Bundle, urn:uuid references to the Bundle's Patient entry) name a patient. */
  fhirBaseUrl?: string;
  /** Directory for the temporary SQLite spill of unordered NDJSON. Default: the OS temp dir. */
  tempDir?: string;
  /** Told how many resources the SQLite spill has grouped so far (those placed under a patient
   * and kept: ndjson-sqlite-spill.ts), after each file and every few thousand resources, and
   * once more, `finished`, when every file is in; never for input grouped otherwise. Reading
   * into the spill is the long silent part of an unordered export's read. */
  onGrouping?: (resourcesGrouped: number, finished: boolean) => void;
}

/** Counts gathered while reading; filled in as the read goes on, complete when it ends. */
export interface PopulationStats {
  format: "ndjson" | "bundle";
  /** How NDJSON was grouped: "merge-join" (files ordered by patient) or "sqlite-spill". */
  grouping: "merge-join" | "sqlite-spill" | "per-bundle";
  /** Every resource read, by resourceType. */
  resourcesByType: Record<string, number>;
  /** Lines or resources not used, by reason (e.g. "no patient reference: Condition"). */
  skipped: Record<string, number>;
  /** Resources that belong to no patient and are not needed per patient (Organization,
   * Practitioner, ...), by type. Medication resources are counted here too and kept for lookup. */
  shared: Record<string, number>;
  /** NDJSON lines read (used, or counted as read) but reported with their place, by reason
   * (line-id-check.ts: a resource without an id, a Patient listed again). */
  flagged?: Record<string, number>;
  /** The first MAX_LISTED_SKIPPED_LINES lines skipped with skipBadLines, or read with a caveat
   * (`read`: counted in `flagged`), by place (all of them are counted in `skipped` or `flagged`),
   * so a report can say which lines to look at. */
  skippedLines: { where: string; reason: string; read?: true }[];
  /** Files in the directory that were not read as FHIR (e.g. a Bulk Data log.ndjson), with why. */
  ignoredFiles: { file: string; reason: string }[];
  /** Patients yielded. */
  patients: number;
}

/** How many skipped lines PopulationStats.skippedLines lists. */
export const MAX_LISTED_SKIPPED_LINES = 100;

export function emptyStats(format: PopulationStats["format"]): PopulationStats {
  return {
    format,
    grouping: format === "bundle" ? "per-bundle" : "merge-join",
    resourcesByType: {},
    skipped: {},
    shared: {},
    flagged: {},
    skippedLines: [],
    ignoredFiles: [],
    patients: 0,
  };
}

/** Adds one to a counter in a record of counts. */
export function increment(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}
