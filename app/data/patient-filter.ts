/**
 * The app's call site of the shared patient rule: what stays in the record of the patient in
 * context, and how many resources were dropped for which reason.
 */
import type { Resource } from "fhir/r4";
import { patientIdOf, PATIENT_SCOPED_TYPES } from "../../shared/fhir-references.ts";

export interface PatientContext {
  patientId: string;
  fhirBaseUrl?: string;
}

export function keepPatientResources(resources: readonly Resource[], context: PatientContext): { kept: Resource[]; dropped: Record<string, number> } {
  const kept: Resource[] = [];
  const dropped: Record<string, number> = {};
  for (const resource of resources) {
    const owner = patientIdOf(resource);
    const reason =
      owner === context.patientId || (owner === null && !PATIENT_SCOPED_TYPES.has(resource.resourceType) && resource.resourceType !== "Patient")
        ? null
        : owner === null
          ? "no patient reference"
          : "another patient";
    if (reason === null) kept.push(resource);
    else dropped[reason] = (dropped[reason] ?? 0) + 1;
  }
  return { kept, dropped };
}
