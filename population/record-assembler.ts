/**
 * Sorting each resource read into a patient's record, the shared Medication lookup, or the
 * counts, and assembling the record a reader yields. Used by every reader so that NDJSON and
 * Bundle directories give the same records and the same counts.
 */
import type { Medication, Resource } from "fhir/r4";
import { medicationIdOf, PATIENT_SCOPED_TYPES, patientIdOf } from "../shared/fhir-references.ts";
import type { JsonObject } from "../shared/features/fhir-read.ts";
import { isPreferredVersion } from "../shared/features/resource-versions.ts";
import { isModelInput, NOT_MODEL_INPUT_REASON } from "../shared/model-input.ts";
import { foreignReason, keepPatientResources, type PatientContext } from "../shared/patient-compartment.ts";
import { reportedType } from "./reported-type.ts";
import { increment, type PatientRecord, type PopulationStats, type ReadPopulationOptions } from "./types.ts";

/** Where a resource goes: to a patient, or nowhere per patient (shared, or skipped). */
export type Placement = { patientId: string } | null;

/**
 * Counts the resource and decides where it goes. Medications are added to `medications`
 * (keyed by id, the preferred version of shared/features/resource-versions.ts) so that records
 * referencing them can include them. Every reader counts here, so the type is named by the
 * reported-type.ts rule here, once: the counts never hold a type the input made up.
 */
export function placeResource(
  resource: Resource,
  stats: PopulationStats,
  medications: Map<string, Medication>,
): Placement {
  const type = reportedType(resource.resourceType);
  increment(stats.resourcesByType, type);
  const patientId = patientIdOf(resource);
  if (patientId !== null) return { patientId };
  if (type === "Patient") {
    increment(stats.skipped, "Patient without a valid FHIR id");
  } else if (PATIENT_SCOPED_TYPES.has(type)) {
    increment(stats.skipped, `no patient reference: ${type}`);
  } else {
    if (type === "Medication" && typeof resource.id === "string") {
      keepPreferredMedication(medications, resource.id, resource as Medication);
    }
    increment(stats.shared, type);
  }
  return null;
}

/**
 * Puts a Medication into a lookup under `key` (its id, or the id its Bundle fullUrl names). An
 * export can hold a Medication twice (two versions): the feature builder's rule keeps one,
 * whatever order the files or entries are read in.
 */
export function keepPreferredMedication(lookup: Map<string, Medication>, key: string, medication: Medication): void {
  const kept = lookup.get(key);
  if (kept === undefined || isPreferredMedication(medication, kept)) lookup.set(key, medication);
}

/** Whether `candidate` is the version of a Medication to use rather than `kept`. */
export function isPreferredMedication(candidate: Medication, kept: Medication): boolean {
  return isPreferredVersion(candidate as unknown as JsonObject, kept as unknown as JsonObject);
}

/** Which resources a consumer asks the readers for (ReadPopulationOptions). */
export type ResourceSelection = Pick<ReadPopulationOptions, "resourceTypes" | "keepOfType" | "keptAsContext">;

/** True when a consumer asked for this resource: for its type (the Patient is always kept; every
 * resource when no types were named), and accepted by its `keepOfType`. What is not asked for is
 * counted among the resources read, not as skipped, and neither the spill nor a record holds it. */
export function wanted(resource: Resource, selection: ResourceSelection): boolean {
  const type = resource.resourceType;
  if (type === "Patient") return true;
  if (selection.resourceTypes !== undefined && !selection.resourceTypes.has(type)) return false;
  return selection.keepOfType === undefined || selection.keepOfType(resource);
}

const NOT_MODEL_INPUT = `not model input: ${NOT_MODEL_INPUT_REASON}`;

/** Whether a record keeps a resource of its patient's: model input, or kept for the consumer
 * beside it (its `keptAsContext`). */
function keptForConsumer(resource: Resource, selection: ResourceSelection): boolean {
  return isModelInput(resource) || selection.keptAsContext?.(resource) === true;
}

/**
 * Whether a resource read for a patient can be set aside at once, because `assembleRecord` would
 * drop it as not model input (it is the patient's, by the compartment rule, but not what the
 * model reads, nor kept for the consumer: keptForConsumer); counted as `assembleRecord` counts
 * it. A reader that parses a patient's resources one by one calls this so as not to hold what
 * the record will never keep: an export with every vital sign of an ICU stay (400,000
 * Observations for one patient) otherwise held them all, parsed, until the record was assembled
 * (1.0 GB of memory for 190 MB of lines).
 */
function setAsideNotModelInput(resource: Resource, context: PatientContext, selection: ResourceSelection, stats: PopulationStats): boolean {
  if (keptForConsumer(resource, selection) || foreignReason(resource, context) !== null) return false;
  increment(stats.skipped, NOT_MODEL_INPUT);
  return true;
}

/** Whether a resource read for a patient goes on towards the record: asked for (wanted), and
 * not set aside at once as not model input (setAsideNotModelInput). The readers that parse a
 * patient's resources one by one (the merge join's lines, the spill) call this one rule. */
export function keptForRecord(resource: Resource, context: PatientContext, selection: ResourceSelection, stats: PopulationStats): boolean {
  return wanted(resource, selection) && !setAsideNotModelInput(resource, context, selection, stats);
}

/** The patient context of an NDJSON reader: no Bundle, so no urn:uuid can be proven to name a patient. */
export function ndjsonPatientContext(patientId: string, fhirBaseUrl: string | undefined): PatientContext {
  return { patientId, ...(fhirBaseUrl ? { fhirBaseUrl } : {}) };
}

/**
 * The record of one patient: the Patient first, then the rest in input order, then each
 * referenced Medication once. Resources grouped under the patient that do not provably name
 * them (shared/patient-compartment.ts: e.g. an absolute reference on another server) are
 * dropped and counted in `stats.skipped`, and so are those the model does not read
 * (shared/model-input.ts: Observations other than body measures, which the card and the app never
 * ask the EHR for) unless `selection` keeps them for the consumer (keptForConsumer). `lookup`
 * finds Medications (Bundle-local ones first, then shared).
 */
export function assembleRecord(
  context: PatientContext,
  resources: Resource[],
  lookup: (id: string) => Medication | undefined,
  selection: ResourceSelection,
  stats: PopulationStats,
): PatientRecord {
  const compartment = keepPatientResources(resources, context);
  for (const [reason, count] of Object.entries(compartment.dropped)) increment(stats.skipped, `not provably this patient's: ${reason}`, count);
  const kept = compartment.kept.filter((resource) => keptForConsumer(resource, selection));
  const notModelInput = compartment.kept.length - kept.length;
  if (notModelInput > 0) increment(stats.skipped, NOT_MODEL_INPUT, notModelInput);
  const patients = kept.filter((r) => r.resourceType === "Patient");
  const others = kept.filter((r) => r.resourceType !== "Patient");
  const referenced = new Map<string, Medication>();
  for (const resource of others) {
    const id = medicationIdOf(resource);
    if (id === null || referenced.has(id)) continue;
    const medication = lookup(id);
    if (medication !== undefined) referenced.set(id, medication);
  }
  return { patientId: context.patientId, resources: [...patients, ...others, ...referenced.values()] };
}
