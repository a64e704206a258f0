/**
 * The patient rule applied to a record from the readers before it is scored: only what provably
 * is the patient's is kept, the rest is counted by reason.
 *
 * Interim: until the shared rule (shared/patient-compartment.ts, issue 8) is on main, this keeps
 * the resources the readers' own reading (patientIdOf) gives to the patient.
 */
import type { Resource } from "fhir/r4";
import { patientIdOf } from "../../shared/fhir-references.ts";
import type { PatientRecord } from "../types.ts";
import type { ScoreSettings } from "./score-settings.ts";

export function ownResources(record: PatientRecord, _settings: Pick<ScoreSettings, "fhirBaseUrl">): { kept: Resource[]; dropped: Record<string, number> } {
  const kept: Resource[] = [];
  const dropped: Record<string, number> = {};
  for (const resource of record.resources) {
    const owner = patientIdOf(resource);
    if (owner === null || owner === record.patientId) kept.push(resource);
    else dropped["another patient"] = (dropped["another patient"] ?? 0) + 1;
  }
  return { kept, dropped };
}
