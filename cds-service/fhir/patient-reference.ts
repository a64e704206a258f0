/**
 * Whether a resource is about the context patient. A prefetch or search that slips in another
 * patient's data must not change this patient's estimate, so such resources are dropped.
 */
import type { Resource } from "fhir/r4";
import { parseReference } from "../../shared/fhir-references.ts";

function referenceOf(resource: Resource): string | undefined {
  const r = resource as { subject?: { reference?: unknown }; patient?: { reference?: unknown } };
  const ref = r.subject?.reference ?? r.patient?.reference;
  return typeof ref === "string" ? ref : undefined;
}

export function belongsToPatient(resource: Resource, patientId: string): boolean {
  if (resource.resourceType === "Patient") return resource.id === patientId;
  const ref = referenceOf(resource);
  // Resources without a patient reference (e.g. Medication) are shared, not someone else's.
  if (ref === undefined) return true;
  const target = parseReference(ref);
  return target !== null && (target.type === null || target.type === "Patient") && target.id === patientId;
}
