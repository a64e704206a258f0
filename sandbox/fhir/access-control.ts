/**
 * What a bearer token may read: its SMART scopes decide the resource types and interactions,
 * and a token whose scopes are all patient/ scopes only reaches the patient in context and the
 * resources that belong to no patient.
 */
import type { Provenance, Resource } from "fhir/r4";
import type { AccessClaims } from "../auth/access-token.ts";
import { allows, isPatientScoped } from "../auth/scopes.ts";
import { patientIdOf } from "../../shared/fhir-references.ts";
import { DIRECTORY_TYPES } from "./supported-types.ts";

export type Query = Record<string, string | string[] | undefined>;
export type Decision = { allowed: true } | { allowed: false; reason: string };

const ALLOWED: Decision = { allowed: true };

/**
 * Resource types whose resources may belong to no patient, and are then shared by everyone: a
 * Medication, a PACS Endpoint, the directory (Organization, Practitioner...), an imaging
 * algorithm's Device. A resource of these types that names a patient (only a Device can:
 * `Device.patient`, which Synthea writes for implants and equipment) is that patient's alone,
 * like any resource of their record. R4's CompartmentDefinition/patient puts Device in no
 * compartment; the sandbox still keeps a patient's Device from other patients' tokens, because
 * it says what is implanted in whom.
 */
const SHAREABLE_TYPES: ReadonlySet<string> = new Set(["Medication", "Endpoint", "Device", ...DIRECTORY_TYPES]);

/** What a token sees beyond its scopes: for a patient/ token, the resources of no patient and
 * those of `patient`; undefined for user/ and system/ tokens, which see every patient. */
export interface Viewer {
  patient: string | undefined;
}

export function viewerOf(claims: AccessClaims): Viewer | undefined {
  return isPatientScoped(claims.scopes) ? { patient: claims.patient } : undefined;
}

/** Bare ids in `patient=` become `Patient/{id}`, the form the search engine matches. */
export function normalizePatientParam(query: Query): Query {
  const value = query.patient;
  if (typeof value !== "string" || value.includes("/")) return query;
  return { ...query, patient: `Patient/${value}` };
}

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === "string" && !value.includes(",") ? value : undefined;
}

/** Who the search is about, when it names exactly one patient. */
export function searchedPatient(type: string, query: Query): string | undefined {
  if (type === "Patient") return single(query._id) ?? single(query.id);
  const ref = single(query.patient) ?? single(query.subject);
  return ref?.startsWith("Patient/") ? ref.slice("Patient/".length) : undefined;
}

/**
 * A patient/ token searches a type of the patient's record only for the patient in context. A
 * shareable type it may search without naming a patient: the search engine then runs it over
 * what the token sees (viewerOf), so another patient's Device is not found.
 */
export function canSearch(claims: AccessClaims, type: string, query: Query): Decision {
  if (!allows(claims.scopes, type, "s")) return { allowed: false, reason: `granted scopes do not allow searching ${type}` };
  if (!isPatientScoped(claims.scopes)) return ALLOWED;
  const searched = searchedPatient(type, query);
  if (SHAREABLE_TYPES.has(type) && searched === undefined) return ALLOWED;
  if (claims.patient === undefined) return { allowed: false, reason: "patient/ scopes but no patient in context" };
  const param = type === "Patient" ? "_id" : "patient";
  if (searched !== claims.patient)
    return { allowed: false, reason: `search must be limited to the patient in context (${param}=${claims.patient})` };
  return ALLOWED;
}

/** The patient a resource belongs to (the shared reading of patient references). */
export function ownerOf(resource: Resource): string | undefined {
  return patientIdOf(resource) ?? undefined;
}

/**
 * Owners of every resource, by "Type/id". A Provenance names what it is about (its targets),
 * not a patient: it belongs to the patient who owns all its targets (a DeepResolve series'
 * Provenance to that patient), and to nobody, so to no patient/ token, when they differ.
 * `known` holds the owners of resources stored earlier, which a new Provenance may target.
 */
export function ownersOf(resources: readonly Resource[], known: ReadonlyMap<string, string> = new Map()): Map<string, string> {
  const owners = new Map<string, string>();
  for (const r of resources) {
    const owner = ownerOf(r);
    if (owner !== undefined) owners.set(`${r.resourceType}/${r.id}`, owner);
  }
  for (const r of resources) {
    if (r.resourceType !== "Provenance") continue;
    const targets = new Set((r as Provenance).target.map((t) => owners.get(t.reference ?? "") ?? known.get(t.reference ?? "")));
    const [only] = [...targets];
    if (targets.size === 1 && only !== undefined) owners.set(`Provenance/${r.id}`, only);
  }
  return owners;
}

/** Whether a patient/ token sees a resource: its patient's own, or one of no patient of a
 * shareable type (a resource of a patient's record without its patient is nobody's to see). */
export function isVisibleTo(viewer: Viewer, type: string, owner: string | undefined): boolean {
  return owner === undefined ? SHAREABLE_TYPES.has(type) : owner === viewer.patient;
}

/** `owner` is the resource's owner as ownersOf found it (a Provenance has none of its own). */
export function canRead(claims: AccessClaims, resource: Resource, owner = ownerOf(resource)): Decision {
  const type = resource.resourceType;
  if (!allows(claims.scopes, type, "r")) return { allowed: false, reason: `granted scopes do not allow reading ${type}` };
  const viewer = viewerOf(claims);
  if (viewer !== undefined && !isVisibleTo(viewer, type, owner)) return { allowed: false, reason: "resource is outside the patient in context" };
  return ALLOWED;
}
