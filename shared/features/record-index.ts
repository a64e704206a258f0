/**
 * Sorts one patient's resources by type, keeps one version of each resource (same type and id:
 * bulk exports and paged searches repeat resources, histories hold several versions; the choice
 * is in resource-versions.ts and does not depend on input order) and indexes the ones other
 * resources refer to (Medication, Encounter, Condition).
 */
import { asObject, asString, type JsonObject } from "./fhir-read.ts";
import { QualityLog } from "./quality.ts";
import { isPreferredVersion } from "./resource-versions.ts";

export interface RecordIndex {
  /** The record's Patient: of several (a merged record), the one with the smallest id, so the
   * choice does not depend on input order; the others are counted as skipped. */
  patient?: JsonObject;
  conditions: JsonObject[];
  encounters: JsonObject[];
  observations: JsonObject[];
  /** MedicationRequest, MedicationStatement and MedicationDispense, in input order. */
  medicationUses: JsonObject[];
  medicationsById: Map<string, JsonObject>;
  conditionsById: Map<string, JsonObject>;
}

const MEDICATION_USE_TYPES = new Set(["MedicationRequest", "MedicationStatement", "MedicationDispense"]);

export function indexRecord(resources: readonly unknown[], quality: QualityLog): RecordIndex {
  const index: RecordIndex = {
    conditions: [],
    encounters: [],
    observations: [],
    medicationUses: [],
    medicationsById: new Map(),
    conditionsById: new Map(),
  };
  // One slot per resource, in order of first appearance; a later version of the same type and id
  // may replace the slot's resource. A Map per type avoids building a "Type/id" string per resource.
  const slots: { type: string; id: string | undefined; resource: JsonObject }[] = [];
  const seen = new Map<string, Map<string, { resource: JsonObject }>>();
  for (const item of resources) {
    const resource = asObject(item);
    const type = asString(resource?.resourceType);
    if (resource === undefined || type === undefined || type === "") {
      quality.skip("(not a resource)", "no resourceType");
      continue;
    }
    const id = asString(resource.id);
    const slot = { type, id, resource };
    if (id !== undefined) {
      let ids = seen.get(type);
      if (ids === undefined) seen.set(type, (ids = new Map()));
      const kept = ids.get(id);
      if (kept !== undefined) {
        quality.skip(type, "duplicate id");
        if (isPreferredVersion(resource, kept.resource)) kept.resource = resource;
        continue;
      }
      ids.set(id, slot);
    }
    slots.push(slot);
  }
  for (const { type, id, resource } of slots) addResource(index, type, id, resource, quality);
  return index;
}

/**
 * The Patient the feature builder reads age and sex from, by the same rule (the preferred version
 * of a repeated one; of several, the smallest id): for callers that show who a risk is for (the
 * population's MRN, name and birth date) beside the age the features were built from.
 */
export function recordPatient(resources: readonly unknown[]): JsonObject | undefined {
  const patients = resources.filter((r) => asObject(r)?.resourceType === "Patient");
  return indexRecord(patients, new QualityLog()).patient;
}

function addResource(index: RecordIndex, type: string, id: string | undefined, resource: JsonObject, quality: QualityLog): void {
  switch (type) {
    case "Patient":
      if (index.patient !== undefined) {
        quality.skip(type, "more than one Patient");
        if (precedesPatient(resource, index.patient)) index.patient = resource;
      } else index.patient = resource;
      return;
    case "Condition":
      index.conditions.push(resource);
      if (id !== undefined) index.conditionsById.set(id, resource);
      return;
    case "Encounter":
      index.encounters.push(resource);
      return;
    case "Observation":
      index.observations.push(resource);
      return;
    case "Medication":
      if (id !== undefined) index.medicationsById.set(id, resource);
      return;
    default:
      if (MEDICATION_USE_TYPES.has(type)) index.medicationUses.push(resource);
      else quality.skip(type, "resource type not used");
  }
}

/**
 * Whether `candidate` is chosen over `kept` as the record's Patient: the smaller id wins (a
 * Patient with an id over one without); two without ids compare by their JSON text. Any fixed
 * order would do; what matters is that shuffling the input cannot change the patient's age or sex.
 */
function precedesPatient(candidate: JsonObject, kept: JsonObject): boolean {
  const a = asString(candidate.id);
  const b = asString(kept.id);
  if (a !== undefined && b !== undefined) return a < b;
  if (a !== undefined || b !== undefined) return a !== undefined;
  return JSON.stringify(candidate) < JSON.stringify(kept);
}
