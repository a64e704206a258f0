/**
 * What the app reads from the EHR, one query per section of the record. The risk queries are
 * the CDS service's own (its prefetch templates), so the app and the card compute the risk from
 * the same resources: the Observation query, for one, asks only for BMI, weight and height,
 * because every dated resource lengthens the history the model sees. The imaging panel's
 * queries come on top and never reach the model.
 */
import { fillTemplate, KOA_RISK_PREFETCH, type PrefetchKeySpec } from "../../shared/risk-record-queries.ts";

export interface RecordQuery {
  key: string;
  /** What a clinician calls this part of the record, e.g. "diagnoses". */
  label: string;
  /** The type the scope must grant (and the query returns). */
  resourceType: string;
  kind: "read" | "search";
  /** Relative to the FHIR base, with {{context.patientId}}. */
  template: string;
  /** The CDS service's own queries: the model's input, or the context the card shows beside
   * the risk (the KL grades behind its imaging caveat, the procedures behind its knee-replacement
   * caveat; never model input), as the service uses them (shared/risk-record-queries.ts); or
   * only shown in the imaging panel. */
  use: PrefetchKeySpec["use"] | "imaging";
  /** For the service's queries: without it no risk is computed (as the service answers 412 without it). */
  required: boolean;
}

const RISK_QUERIES: readonly RecordQuery[] = KOA_RISK_PREFETCH.map((p) => ({
  key: p.key,
  label: p.label,
  resourceType: p.resourceTypes[0] as string,
  kind: p.kind,
  template: p.template,
  use: p.use,
  required: p.required,
}));

/**
 * The studies and reports, and what shared/imaging's reader needs beside them: the imaging
 * Observations, heat-map Media, the Provenance of reconstructed series (the sandbox answers
 * `Provenance?patient=` with the Provenance of the patient's resources), and the shared
 * algorithm Devices and PACS Endpoints, which belong to no patient. Every DiagnosticReport is
 * asked for, laboratory panels and notes included, and the panel keeps the imaging ones
 * (imaging/report-kind.ts): a `category=` search would lose the reports of a server that does not
 * code their category, and those that say only which ImagingStudy they report on.
 */
const IMAGING_QUERIES: readonly RecordQuery[] = [
  { key: "imagingStudies", label: "imaging studies", resourceType: "ImagingStudy", kind: "search", template: "ImagingStudy?patient={{context.patientId}}", use: "imaging", required: false },
  { key: "diagnosticReports", label: "imaging reports", resourceType: "DiagnosticReport", kind: "search", template: "DiagnosticReport?patient={{context.patientId}}", use: "imaging", required: false },
  { key: "imagingObservations", label: "imaging AI measurements", resourceType: "Observation", kind: "search", template: "Observation?patient={{context.patientId}}&category=imaging", use: "imaging", required: false },
  { key: "imagingMedia", label: "imaging AI heat maps", resourceType: "Media", kind: "search", template: "Media?patient={{context.patientId}}", use: "imaging", required: false },
  { key: "imagingProvenance", label: "sources of reconstructed series", resourceType: "Provenance", kind: "search", template: "Provenance?patient={{context.patientId}}", use: "imaging", required: false },
  { key: "imagingDevices", label: "imaging algorithms", resourceType: "Device", kind: "search", template: "Device", use: "imaging", required: false },
  { key: "imagingEndpoints", label: "image archive addresses", resourceType: "Endpoint", kind: "search", template: "Endpoint", use: "imaging", required: false },
];

export const RECORD_QUERIES: readonly RecordQuery[] = [...RISK_QUERIES, ...IMAGING_QUERIES];

export function queryUrl(query: RecordQuery, patientId: string): string {
  return fillTemplate(query.template, patientId);
}
