/**
 * Which resources may be scored for the patient in context (pure: the one rule the CDS
 * service, the SMART app and the population readers apply before features are built).
 *
 * A resource that names a patient is kept only when the name provably is the patient in
 * context. A reference that is identifier-only, not a string, an array, a number, absolute on
 * another server, or a `urn:uuid` that the Bundle did not give to this patient proves nothing:
 * keeping it once let another patient's knee OA diagnosis answer "already diagnosed" for the
 * patient in context. Such resources are dropped and counted by reason; the reasons are fixed
 * strings (no identifiers), so they can go to logs and reports.
 */
import type { Resource } from "fhir/r4";
import { FHIR_ID_PATTERN, PATIENT_FIELDS, PATIENT_SCOPED_TYPES } from "./fhir-references.ts";

export interface PatientContext {
  /** Patient.id of the patient in context. */
  readonly patientId: string;
  /** FHIR base URL the data came from; absolute references are accepted only on this base. */
  readonly fhirBaseUrl?: string;
  /** `urn:uuid:` fullUrls that name this patient's Patient entry in the Bundle the data came from. */
  readonly patientUrns?: ReadonlySet<string>;
}

export type ForeignReason =
  | "another Patient resource"
  | "no patient reference"
  | "patient reference is not a Reference"
  | "patient reference has no reference string"
  | "reference is not to a Patient"
  | "another patient"
  | "absolute reference not on the FHIR server's base"
  | "urn:uuid not this patient's Bundle entry";

const RELATIVE_PATIENT = new RegExp(`^Patient/(${FHIR_ID_PATTERN})(?:/_history/${FHIR_ID_PATTERN})?$`);
const ABSOLUTE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** scheme://authority/path, nothing else: no query, fragment, user info, backslash or white space. */
const PLAIN_ABSOLUTE = /^[a-z][a-z0-9+.-]*:\/\/([^/?#@\\\s]+)(\/[^?#\\\s]*)?$/i;

/**
 * An absolute URL as origin and path, the host in lower case and a default port dropped (so
 * `https://EHR.example:443/fhir` and `https://ehr.example/fhir` are one), or undefined unless it
 * is already written that way but for those two: URL would also resolve dot segments, percent-
 * encoded dots, backslashes, tabs and international host names, and a reference that needs any
 * of that (`https://ehr.example/fhir2/../fhir/Patient/p1`) proves nothing, as other parsers may
 * read it as another server. The path keeps its case: on a server it is significant.
 */
function plainUrl(url: string): string | undefined {
  const match = PLAIN_ABSOLUTE.exec(url);
  if (match === null || /[\u0000-\u001f\u007f-\uffff]/.test(url)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const path = match[2] ?? "/";
  const host = match[1]!.toLowerCase().replace(/:\d*$/, "");
  return parsed.hostname === host && parsed.pathname === path ? `${parsed.origin}${path}` : undefined;
}

/** The base as a folder in plainUrl's spelling (one trailing slash), or undefined. */
function baseFolder(base: string): string | undefined {
  const plain = plainUrl(base);
  if (plain === undefined) return undefined;
  let end = plain.length;
  while (plain[end - 1] === "/") end--;
  return `${plain.slice(0, end)}/`;
}

/** Each base made a folder once, by its text: parsing it (URL) for every resource would cost more
 * than the rest of the rule, and readers build a context per patient or even per resource. A run
 * or a service knows a handful of FHIR servers, so the map stays small. */
const baseFolders = new Map<string, string | undefined>();
function baseFolderOf(base: string): string | undefined {
  if (!baseFolders.has(base)) baseFolders.set(base, baseFolder(base));
  return baseFolders.get(base);
}

/** Why the reference string does not name the patient in context, or null when it does. */
function referenceVerdict(reference: string, context: PatientContext): ForeignReason | null {
  if (reference.startsWith("urn:uuid:")) {
    return context.patientUrns?.has(reference) === true ? null : "urn:uuid not this patient's Bundle entry";
  }
  let relative = reference;
  if (ABSOLUTE.test(reference)) {
    // Both in one spelling, the base as a folder: `https://EHR.example:443/fhir` is the base of
    // `https://ehr.example/fhir/Patient/p1`, as an EHR may write either.
    const base = context.fhirBaseUrl === undefined ? undefined : baseFolderOf(context.fhirBaseUrl);
    const absolute = plainUrl(reference);
    if (base === undefined || absolute === undefined || !absolute.startsWith(base)) return "absolute reference not on the FHIR server's base";
    relative = absolute.slice(base.length);
  }
  const match = RELATIVE_PATIENT.exec(relative);
  if (match === null) return "reference is not to a Patient";
  return match[1] === context.patientId ? null : "another patient";
}

/** Why a field that should hold a Reference to the patient does not, or null when it does. */
function fieldVerdict(value: unknown, context: PatientContext): ForeignReason | null {
  if (typeof value !== "object" || Array.isArray(value)) return "patient reference is not a Reference";
  const reference = (value as { reference?: unknown }).reference;
  if (typeof reference !== "string") return "patient reference has no reference string";
  return referenceVerdict(reference, context);
}

/**
 * Null when the resource may be scored for the patient in context: it is that patient's
 * Patient, every patient field it carries names that patient, or it names no patient and is
 * not of a patient-scoped type (Medication, Organization, ...). Otherwise the reason it is not.
 */
export function foreignReason(resource: Resource, context: PatientContext): ForeignReason | null {
  if (resource.resourceType === "Patient") return resource.id === context.patientId ? null : "another Patient resource";
  const fields = resource as unknown as Record<string, unknown>;
  let named = false;
  for (const field of PATIENT_FIELDS) {
    const value = fields[field];
    // A null field is absent (as everywhere in the feature builder).
    if (value === undefined || value === null) continue;
    named = true;
    const reason = fieldVerdict(value, context);
    if (reason !== null) return reason;
  }
  if (!named && PATIENT_SCOPED_TYPES.has(resource.resourceType)) return "no patient reference";
  return null;
}

export interface KeptResources<T extends Resource = Resource> {
  kept: T[];
  /** Resources dropped, by reason. */
  dropped: Partial<Record<ForeignReason, number>>;
  droppedCount: number;
}

/** Keeps the resources that may be scored for the patient in context and counts the rest. */
export function keepPatientResources<T extends Resource>(resources: readonly T[], context: PatientContext): KeptResources<T> {
  const result: KeptResources<T> = { kept: [], dropped: {}, droppedCount: 0 };
  for (const resource of resources) {
    const reason = foreignReason(resource, context);
    if (reason === null) {
      result.kept.push(resource);
      continue;
    }
    result.dropped[reason] = (result.dropped[reason] ?? 0) + 1;
    result.droppedCount += 1;
  }
  return result;
}
