/** The resource types the feature builder reads (models/FEATURES.md); readers drop the rest. */
export const FEATURE_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  "Patient",
  "Condition",
  "Encounter",
  "Observation",
  "MedicationRequest",
  "MedicationStatement",
  "MedicationDispense",
  "Medication",
]);
