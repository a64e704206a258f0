/** What every scoring worker needs to know; also part of the checkpoint's identity, so that a
 * resumed or merged run cannot mix results scored under different settings. */
export interface ScoreSettings {
  modelPath: string;
  /** YYYY-MM-DD: the risk is for the year starting on this day. */
  indexDate: string;
  minAgeYears?: number;
  /** Drivers are computed for patients at or above this probability (the others are ranked
   * without reasons): occlusion costs a model row per feature group. */
  explainFrom: number;
  includeNames: boolean;
  /** The FHIR server the data came from (Bulk Data): the readers accept absolute patient
   * references on it only (shared/patient-compartment.ts). */
  fhirBaseUrl?: string;
}
