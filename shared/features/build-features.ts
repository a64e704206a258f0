/**
 * buildFeatures: one patient's FHIR resources and an index date in, the Deep-KOA inputs out
 * (sequence, static vector, eligibility, data quality). Pure: no I/O, no clock, no globals; the
 * same in Node and the browser. The specification is models/FEATURES.md.
 */
import { dayToIsoDate, parseCalendarDay } from "../fhir-dates.ts";
import { latestBmi } from "./body-mass.ts";
import { readDemographics } from "./demographics.ts";
import { collectDiagnosisEvidence } from "./diagnosis-evidence.ts";
import { DiagnosisDays } from "./diagnosis-days.ts";
import { assessEligibility, DEFAULT_MIN_AGE_YEARS } from "./eligibility.ts";
import { historyWindow } from "./history-window.ts";
import { collectMedicationEvidence } from "./medication-evidence.ts";
import { MedicationDays } from "./medication-days.ts";
import { QualityLog } from "./quality.ts";
import { RecordHistory } from "./record-history.ts";
import { indexRecord } from "./record-index.ts";
import { CHANNEL_COUNT, FEATURE_SPEC_VERSION, WEEKS } from "./spec.ts";
import { scaleStatic } from "./static-features.ts";
import type { FeatureOptions, PatientFeatures, PatientResources } from "./types.ts";

/**
 * Builds the features of one patient at an index date (YYYY-MM-DD). Throws a RangeError or
 * TypeError for a bad index date, options or a non-array input; bad resources never throw, they
 * are counted in `quality`.
 */
export function buildFeatures(resources: PatientResources, indexDate: string, options: FeatureOptions = {}): PatientFeatures {
  if (!Array.isArray(resources)) throw new TypeError("buildFeatures: resources must be an array of FHIR resources");
  const indexDay = parseCalendarDay(indexDate);
  if (indexDay === null) throw new RangeError(`buildFeatures: indexDate must be a calendar date YYYY-MM-DD, got ${JSON.stringify(indexDate)}`);
  const minAgeYears = options.minAgeYears ?? DEFAULT_MIN_AGE_YEARS;
  if (!Number.isFinite(minAgeYears) || minAgeYears < 0) {
    throw new RangeError(`buildFeatures: minAgeYears must be a non-negative number, got ${String(minAgeYears)}`);
  }

  const quality = new QualityLog();
  const history = new RecordHistory(indexDay);
  const window = historyWindow(indexDay);
  const index = indexRecord(resources, quality);
  const diagnoses = new DiagnosisDays(window);
  const medications = new MedicationDays(window);
  collectDiagnosisEvidence(index, indexDay, { days: diagnoses, history, quality });
  collectMedicationEvidence(index, indexDay, { days: medications, history, quality });
  const bmi = latestBmi(index.observations, indexDay, { history, quality });
  if (bmi !== null) quality.used(bmi.sources.length);
  const { sex, ageYears, deceased } = readDemographics(index.patient, indexDay, quality);
  if (index.patient !== undefined) quality.used();

  const sequence = new Float32Array(CHANNEL_COUNT * WEEKS);
  diagnoses.writeTo(sequence);
  medications.writeTo(sequence);
  const demographics: PatientFeatures["demographics"] = {
    ageYears,
    sex,
    bmi: bmi?.bmi ?? null,
    ...(bmi === null ? {} : { bmiDate: dayToIsoDate(bmi.day) }),
    historyYears: history.years(),
  };
  return {
    specVersion: FEATURE_SPEC_VERSION,
    indexDate,
    sequence,
    static: scaleStatic(demographics),
    demographics,
    eligibility: assessEligibility({
      hasPatient: index.patient !== undefined,
      ageYears,
      minAgeYears,
      deceased,
      kneeOa: diagnoses.kneeOaEvidence(),
      historyYears: demographics.historyYears,
      hasBmi: bmi !== null,
    }),
    quality: quality.result(),
  };
}
