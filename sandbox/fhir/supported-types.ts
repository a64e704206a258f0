/** The resource types the sandbox FHIR server serves: those a KOA risk and its app read. */
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
] as const;

export function isSupportedType(type: string): boolean {
  return (SUPPORTED_TYPES as readonly string[]).includes(type);
}
