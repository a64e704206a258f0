/** The resource types the sandbox FHIR server serves: those a KOA risk and its app read, the
 * imaging AI results (shared/imaging) with their Device, Media, Provenance and Endpoint, and the
 * population job's high-risk Group (its --post-group). */
export const SUPPORTED_TYPES = [
  "Patient",
  "Condition",
  "Observation",
  "MedicationRequest",
  "MedicationStatement",
  "MedicationDispense",
  "Medication",
  "Encounter",
  "Procedure",
  "AllergyIntolerance",
  "Immunization",
  "DiagnosticReport",
  "RiskAssessment",
  "ImagingStudy",
  "Media",
  "Provenance",
  "Device",
  "Endpoint",
  "Group",
] as const;

export function isSupportedType(type: string): boolean {
  return (SUPPORTED_TYPES as readonly string[]).includes(type);
}
