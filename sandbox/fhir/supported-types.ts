/**
 * The resource types the sandbox FHIR server serves: those a KOA risk and its app read, the
 * imaging AI results (shared/imaging) with their Device, Media, Provenance and Endpoint, the
 * population job's high-risk Group (its --post-group), and the rest of what a Synthea patient
 * Bundle holds, so that one loads as it is (README.md, "Loading Synthea patients").
 */

/** Directory resources that records name: outside every patient's compartment, shared by all.
 * Synthea writes them to their own hospital and practitioner Bundles (v2 also repeats them in
 * each patient's) and names them from patient Bundles by conditional references. */
export const DIRECTORY_TYPES = ["Organization", "Practitioner", "PractitionerRole", "Location"] as const;

export const SUPPORTED_TYPES = [
  "Patient",
  "Condition",
  "Observation",
  "MedicationRequest",
  "MedicationStatement",
  "MedicationDispense",
  "MedicationAdministration",
  "Medication",
  "Encounter",
  "Procedure",
  "AllergyIntolerance",
  "Immunization",
  "DiagnosticReport",
  "DocumentReference",
  "RiskAssessment",
  "ImagingStudy",
  "Media",
  "Provenance",
  "Device",
  "SupplyDelivery",
  "Endpoint",
  "Group",
  "CarePlan",
  "CareTeam",
  "Goal",
  "Claim",
  "ExplanationOfBenefit",
  ...DIRECTORY_TYPES,
] as const;

export function isSupportedType(type: string): boolean {
  return (SUPPORTED_TYPES as readonly string[]).includes(type);
}
