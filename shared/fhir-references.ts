/**
 * Which patient a resource belongs to, and which Medication resources it references (pure:
 * shared by the population readers and the CDS service).
 *
 * A resource belongs to the patient named by its `subject`, `patient` or `beneficiary`
 * reference (the fields that carry the patient compartment in the resource types EHR exports
 * contain). References may be relative (`Patient/<id>`), absolute
 * (`https://host/fhir/Patient/<id>`, optionally with `/_history/<v>`) or, as Synthea's
 * transaction Bundles write them, `urn:uuid:<id>`.
 */
import type { Resource } from "fhir/r4";

/** The fields that carry the patient compartment in the resource types EHR exports contain. */
export const PATIENT_FIELDS = ["subject", "patient", "beneficiary"] as const;
/** The characters and length of a FHIR id (R4's `id` datatype), as pattern text for larger
 * patterns: the only ids a reference names. */
export const FHIR_ID_PATTERN = "[A-Za-z0-9\\-.]{1,64}";
/** A FHIR id, whole. */
export const FHIR_ID = new RegExp(`^${FHIR_ID_PATTERN}$`);
const TYPED_REFERENCE = new RegExp(`(?:^|/)([A-Za-z]+)/(${FHIR_ID_PATTERN})(?:/_history/[^/]+)?$`);
const URN_UUID = /^urn:uuid:([A-Za-z0-9-]{1,64})$/;

/** Resource types that always belong to one patient: without a patient reference they are
 * counted as skipped rather than as shared resources. */
export const PATIENT_SCOPED_TYPES: ReadonlySet<string> = new Set([
  "AllergyIntolerance",
  "CarePlan",
  "CareTeam",
  "Claim",
  "Condition",
  "Coverage",
  "DiagnosticReport",
  "DocumentReference",
  "Encounter",
  "ExplanationOfBenefit",
  "Goal",
  "ImagingStudy",
  "Immunization",
  "MedicationAdministration",
  "MedicationDispense",
  "MedicationRequest",
  "MedicationStatement",
  "Observation",
  "Procedure",
  "ServiceRequest",
]);

/** The target of a reference string: `{type, id}` for typed references, `{type: null, id}` for
 * `urn:uuid:` ones (their type is only known inside the Bundle), or null (contained, malformed). */
export function parseReference(reference: unknown): { type: string | null; id: string } | null {
  if (typeof reference !== "string") return null;
  const urn = URN_UUID.exec(reference);
  if (urn !== null) return { type: null, id: urn[1]! };
  const typed = TYPED_REFERENCE.exec(reference);
  if (typed !== null) return { type: typed[1]!, id: typed[2]! };
  return null;
}

/** A reference to another resource of one patient's record: contained in the referring resource
 * (`#id`) or a resource of the record with that id. */
export type ReferenceTarget = { contained: string } | { id: string };

/**
 * Reads a Reference field to a resource of `type` with the same rules as parseReference: `#id`
 * (contained), `Type/id` or an absolute URL ending in it (optionally `/_history/n`), or
 * `urn:uuid:id` (read as the resource id, as exports that use urn:uuid references give resources
 * that id). Any other type, or a malformed reference, gives undefined.
 */
export function referenceTarget(value: unknown, type: string): ReferenceTarget | undefined {
  const reference = typeof value === "object" && value !== null ? (value as { reference?: unknown }).reference : undefined;
  if (typeof reference === "string" && reference.startsWith("#") && reference.length > 1) return { contained: reference.slice(1) };
  const target = parseReference(reference);
  return target !== null && (target.type === null || target.type === type) ? { id: target.id } : undefined;
}

/** The patient id a resource belongs to, or null. A Patient belongs to itself. */
export function patientIdOf(resource: Resource): string | null {
  // An id outside FHIR's syntax ("pat_1") is one no reference can name: its Patient would be
  // scored without any of its records, so it is no patient's id here (counted as such).
  if (resource.resourceType === "Patient") return typeof resource.id === "string" && FHIR_ID.test(resource.id) ? resource.id : null;
  const fields = resource as unknown as Record<string, unknown>;
  for (const field of PATIENT_FIELDS) {
    const value = fields[field];
    if (typeof value !== "object" || value === null) continue;
    const target = parseReference((value as { reference?: unknown }).reference);
    // urn:uuid targets are patients in Synthea's Bundles; a typed reference must say Patient
    // (an Observation's subject may be a Group or a Location, which is not a patient's record).
    if (target !== null && (target.type === null || target.type === "Patient")) return target.id;
  }
  return null;
}

/** Id of the Medication resource a medication resource references (`Medication/<id>` or
 * `urn:uuid:<id>`), or null; contained Medications (`#id`) travel with the resource itself. */
export function medicationIdOf(resource: Resource): string | null {
  const reference = (resource as { medicationReference?: { reference?: unknown } }).medicationReference?.reference;
  const target = parseReference(reference);
  if (target === null || (target.type !== null && target.type !== "Medication")) return null;
  return target.id;
}
