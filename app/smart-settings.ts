/** How the app identifies itself to a SMART authorization server, and what it asks for. */

/** Registered with the EHR (the sandbox registers it at start). */
export const CLIENT_ID = "patella-app";

/** Read-only access to what the feature builder reads, in SMART v2 scope syntax. */
const TYPES = ["Patient", "Condition", "Observation", "MedicationRequest", "MedicationStatement", "MedicationDispense", "Medication"];
export const RESOURCE_SCOPES = TYPES.map((type) => `patient/${type}.rs`);

/** EHR launch asks for the EHR's context; standalone launch asks the user to pick a patient. */
export function scopesFor(ehrLaunch: boolean): string {
  return [ehrLaunch ? "launch" : "launch/patient", ...RESOURCE_SCOPES].join(" ");
}
