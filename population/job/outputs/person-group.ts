/** The shape of the population job's FHIR R4 Groups (the high-risk list, the imaging list), for
 * a registry or a care-management worklist that `--post-group` updates by id. */
import type { Group } from "fhir/r4";

export interface PersonGroupSpec {
  id: string;
  name: string;
  /** What a member has, as the Group's one characteristic: a code and its value, in words. */
  characteristic: { code: string; value: string };
  /** The members, in the list's order. */
  patientIds: readonly string[];
}

export function personGroup(spec: PersonGroupSpec): Group {
  return {
    resourceType: "Group",
    id: spec.id,
    active: true,
    type: "person",
    actual: true,
    name: spec.name,
    quantity: spec.patientIds.length,
    characteristic: [{ code: { text: spec.characteristic.code }, valueCodeableConcept: { text: spec.characteristic.value }, exclude: false }],
    // FHIR JSON has no empty arrays: an empty list has no member element.
    ...(spec.patientIds.length > 0 ? { member: spec.patientIds.map((id) => ({ entity: { reference: `Patient/${id}` } })) } : {}),
  };
}
