/**
 * The koa-risk service as discovery lists it, and the data it needs. The prefetch templates
 * use CDS Hooks 2.0 tokens only; the fetch fallback runs the same queries, so the two can
 * never disagree about what the model sees.
 */
import { IMAGING_AI_SYSTEM, KL_GRADE } from "../../../../shared/imaging/codes.ts";

export const KOA_RISK_SERVICE_ID = "koa-risk";
export const KOA_RISK_HOOK = "patient-view";

/** Body-measure LOINC codes the feature builder reads (BMI, weight, height). */
const BODY_MEASURE_CODES = ["39156-5", "29463-7", "8302-2"].map((c) => `http://loinc.org|${c}`).join(",");

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
  /** Used only when the EHR prefetches it: never fetched, never a caveat (context, not model input). */
  prefetchOnly?: boolean;
}

export const KOA_RISK_PREFETCH: readonly PrefetchKeySpec[] = [
  {
    key: "patient",
    template: "Patient/{{context.patientId}}",
    kind: "read",
    required: true,
    resourceTypes: ["Patient"],
    label: "patient demographics",
  },
  {
    key: "conditions",
    template: "Condition?patient={{context.patientId}}",
    kind: "search",
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
    required: true,
    resourceTypes: ["Encounter", "Condition"],
    label: "encounters",
  },
  {
    key: "medicationRequests",
    template: "MedicationRequest?patient={{context.patientId}}",
    kind: "search",
    required: true,
    resourceTypes: ["MedicationRequest", "Medication"],
    label: "prescriptions",
  },
  {
    key: "medicationStatements",
    template: "MedicationStatement?patient={{context.patientId}}",
    kind: "search",
    required: false,
    resourceTypes: ["MedicationStatement", "Medication"],
    label: "medication statements",
  },
  {
    key: "bodyMeasures",
    template: `Observation?patient={{context.patientId}}&code=${BODY_MEASURE_CODES}`,
    kind: "search",
    required: false,
    resourceTypes: ["Observation"],
    label: "BMI, weight and height",
  },
  {
    // Not a model input: the card mentions a recent KL grade of 2 or more (shared/imaging/recent-kl.ts).
    // Prefetch only, so the hook never waits on an extra FHIR query for it.
    key: "kneeKlGrades",
    template: `Observation?patient={{context.patientId}}&code=${IMAGING_AI_SYSTEM}|${KL_GRADE.code}`,
    kind: "search",
    required: false,
    resourceTypes: ["Observation"],
    label: "imaging AI knee KL grades",
    prefetchOnly: true,
  },
];

export const KOA_RISK_DISCOVERY = {
  hook: KOA_RISK_HOOK,
  id: KOA_RISK_SERVICE_ID,
  title: "Knee osteoarthritis 1-year risk (Deep-KOA)",
  description:
    "Estimates the risk of a knee osteoarthritis diagnosis within the next year from the last three years of " +
    "diagnoses, prescriptions, age, sex and BMI. The shipped model is trained on synthetic data and is not " +
    "validated for clinical use.",
  prefetch: Object.fromEntries(KOA_RISK_PREFETCH.map((p) => [p.key, p.template])),
  // Why a call can get 412 (cds-hooks.hl7.org/2.0, Discovery: usageRequirements).
  usageRequirements:
    `Needs the patient's ${KOA_RISK_PREFETCH.filter((p) => p.required).map((p) => p.key).join(", ")}: ` +
    "either prefetched, or fetchable from fhirServer with a fhirAuthorization access token that may read them " +
    "(patient/Patient.rs, Condition.rs, Encounter.rs, MedicationRequest.rs; MedicationStatement.rs and Observation.rs " +
    "for the optional keys). Without them the service answers 412.",
} as const;

/** A template with the context filled in (the id is already validated as a FHIR id). */
export function fillTemplate(template: string, patientId: string): string {
  return template.replaceAll("{{context.patientId}}", encodeURIComponent(patientId));
}
