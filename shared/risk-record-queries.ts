/**
 * The parts of a patient's record the risk is computed from, as FHIR queries: the CDS service's
 * prefetch templates (CDS Hooks 2.0 tokens only), which its fetch fallback and the SMART app
 * run too, so the card, the fallback and the app can never disagree about what the model sees.
 */
import { IMAGING_AI_SYSTEM, KL_GRADE } from "./imaging/codes.ts";
import { OBSERVATION_LOINC, SYSTEM } from "./valuesets.ts";

/** Body-measure LOINC codes the feature builder reads (BMI, weight, height), as a search's token
 * list: the only Observations that are model input (model-input.ts sets aside any other a server
 * returns). */
export const BODY_MEASURE_CODES = Object.values(OBSERVATION_LOINC)
  .map((code) => `${SYSTEM.loinc}|${code}`)
  .join(",");

export interface PrefetchKeySpec {
  key: string;
  /** Prefetch template with {{context.patientId}}, relative to fhirServer. */
  template: string;
  /** "read": one resource; "search": a searchset Bundle. */
  kind: "read" | "search";
  /** Without a required key there is no answer (412); an optional one only adds a caveat. */
  required: boolean;
  /** Resource types this key may contribute (anything else in its Bundle is ignored). */
  resourceTypes: readonly string[];
  /** Shown in the card's data caveats when the key could not be had. */
  label: string;
  /** What its resources are for: the model's input, or context the card shows beside the risk
   * (the KL grades, the procedures).
   * Context never reaches the feature builder, so that the risk cannot depend on whether the
   * EHR sent it (any dated resource lengthens the history the model sees). */
  use: "model-input" | "card-context";
  /** Never fetched on its own account: when the EHR leaves it out, the service fetches it only
   * if it is fetching another key for the same call (then in parallel, so the call waits on no
   * extra round trip), else it is empty without a caveat. A failed one is a caveat and a paged
   * one's next pages are fetched when the service can (cds-service/fhir/gather-patient-data.ts). */
  fetchOnlyAlongside?: boolean;
}

export const KOA_RISK_PREFETCH: readonly PrefetchKeySpec[] = [
  {
    key: "patient",
    template: "Patient/{{context.patientId}}",
    kind: "read",
    use: "model-input",
    required: true,
    resourceTypes: ["Patient"],
    label: "patient demographics",
  },
  {
    key: "conditions",
    template: "Condition?patient={{context.patientId}}",
    kind: "search",
    use: "model-input",
    required: true,
    resourceTypes: ["Condition"],
    label: "diagnoses",
  },
  {
    // Visits code diagnoses week by week (reasonCode, diagnosis): without them the sequence the
    // model was trained on is lost, so they are required (models/FEATURES.md, "Evidence").
    key: "encounters",
    template: "Encounter?patient={{context.patientId}}",
    kind: "search",
    use: "model-input",
    required: true,
    resourceTypes: ["Encounter", "Condition"],
    label: "encounters",
  },
  {
    key: "medicationRequests",
    template: "MedicationRequest?patient={{context.patientId}}",
    kind: "search",
    use: "model-input",
    required: true,
    resourceTypes: ["MedicationRequest", "Medication"],
    label: "prescriptions",
  },
  {
    key: "medicationStatements",
    template: "MedicationStatement?patient={{context.patientId}}",
    kind: "search",
    use: "model-input",
    required: false,
    resourceTypes: ["MedicationStatement", "Medication"],
    label: "medication statements",
  },
  {
    // The feature builder reads dispensations as it reads prescriptions (models/FEATURES.md,
    // "Medication channels"), and a Bulk Data export holds them: without this key the card and
    // the app would miss the medicines a population run counts.
    key: "medicationDispenses",
    template: "MedicationDispense?patient={{context.patientId}}",
    kind: "search",
    use: "model-input",
    required: false,
    resourceTypes: ["MedicationDispense", "Medication"],
    label: "dispensed medications",
  },
  {
    key: "bodyMeasures",
    template: `Observation?patient={{context.patientId}}&code=${BODY_MEASURE_CODES}`,
    kind: "search",
    use: "model-input",
    required: false,
    resourceTypes: ["Observation"],
    label: "BMI, weight and height",
  },
  {
    // Not a model input: the card mentions a recent KL grade of 2 or more (shared/imaging/recent-kl.ts).
    // Fetched only alongside other keys, so the hook never waits on an extra FHIR query for it
    // alone (but for its next pages): an EHR that prefetches nothing still gets the KL card.
    key: "kneeKlGrades",
    template: `Observation?patient={{context.patientId}}&code=${IMAGING_AI_SYSTEM}|${KL_GRADE.code}`,
    kind: "search",
    use: "card-context",
    required: false,
    resourceTypes: ["Observation"],
    label: "imaging AI knee KL grades",
    fetchOnlyAlongside: true,
  },
  {
    // Not a model input: the card says when a knee replacement is on record (shared/knee-replaced.ts),
    // as the patient then most likely has knee OA already. Fetched only alongside others, as the KL grades.
    key: "procedures",
    template: "Procedure?patient={{context.patientId}}",
    kind: "search",
    use: "card-context",
    required: false,
    resourceTypes: ["Procedure"],
    label: "procedures (knee replacement)",
    fetchOnlyAlongside: true,
  },
];

/** A template with the context filled in (the id is already validated as a FHIR id). */
export function fillTemplate(template: string, patientId: string): string {
  return template.replaceAll("{{context.patientId}}", encodeURIComponent(patientId));
}
