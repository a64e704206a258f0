/**
 * Scores a batch of patients with the shared assessment (shared/assess-risk.ts): every patient
 * without explanation, then the ones at or above the explanation floor again with drivers. The
 * calls of a batch run together, so the batching model sends each round to onnxruntime as one
 * run.
 *
 * Each patient's features are built once, as soon as the record is assembled (`prepare`), and
 * the record is dropped then but for its Patient: the scoring thread holds a batch of feature
 * rows instead of a batch of parsed records (less to collect), and the riskiest patients are
 * not built a second time for their drivers (assessFeatures is assessRisk from built features).
 *
 * The features, and what the outputs say of the record's currency, are taken from the model input
 * alone (the feature builder's types, and of the Observations the body measures, as the card and
 * the app give the model): the record also holds what the job reads for its flags only
 * (job-resource-types.ts JOB_READ: knee-replacement Procedures, the imaging AI's KL grade
 * Observations), which the model was trained without. The flags are the card's and the app's,
 * from the same function (shared/record-caveats.ts).
 */
import type { Patient, Resource } from "fhir/r4";
import { FEATURE_RESOURCE_TYPES } from "../../models/features/feature-resource-types.ts";
import { assessFeatures } from "../../shared/assess-risk.ts";
import { buildFeatures } from "../../shared/features/build-features.ts";
import { recordPatient } from "../../shared/features/record-index.ts";
import { dayToIsoDate, parseCalendarDay } from "../../shared/fhir-dates.ts";
import { isModelInput } from "../../shared/model-input.ts";
import { oldBmi } from "../../shared/old-bmi.ts";
import { kneeOaCaveats } from "../../shared/record-caveats.ts";
import { recordLastDays } from "../../shared/record-dates.ts";
import type { PatientFeatures } from "../../shared/features/types.ts";
import type { RiskModel } from "../../shared/inference/index.ts";
import type { PatientRecord } from "../types.ts";
import { kneeOaOnRecord } from "../index-dates.ts";
import type { ScoreSettings } from "./score-settings.ts";
import { type KneeOaAfterIndex, type RecordFacts, scoredPatient, type ScoredPatient } from "./scored-patient.ts";

/** What scoring needs of a patient's record. */
export interface PreparedPatient {
  patientId: string;
  /** The record's Patient as the features chose it (the outputs' identifiers and names). */
  patient: Patient | undefined;
  features: PatientFeatures;
  /** When the record last changed, at all and before the index date, the card's caveats (a knee
   * graded KL 2 or more, osteoarthritis without a stated joint, a knee replacement on record, a BMI
   * older than the model's history) and a knee OA diagnosis on record after the index date
   * (scored-patient.ts). */
  facts: RecordFacts;
}

const featureOptions = (settings: ScoreSettings) => (settings.minAgeYears === undefined ? {} : { minAgeYears: settings.minAgeYears });

export function prepare(record: PatientRecord, settings: ScoreSettings): PreparedPatient {
  const modelInput: Resource[] = [];
  const context: Resource[] = [];
  for (const resource of record.resources) {
    (FEATURE_RESOURCE_TYPES.has(resource.resourceType) && isModelInput(resource) ? modelInput : context).push(resource);
  }
  const features = buildFeatures(modelInput, settings.indexDate, featureOptions(settings));
  // Whether the record is current the outputs judge from lastRecordBeforeIndex, by the card's
  // rule (shared/record-currency.ts): one pass over the record's days for both.
  const currency = recordCurrency(modelInput, settings.indexDate);
  return {
    patientId: record.patientId,
    patient: recordPatient(modelInput) as Patient | undefined,
    features,
    facts: {
      ...currency,
      ...kneeOaCaveats(modelInput, context, settings.indexDate),
      // The card's and the app's rule, on the BMI the features hold (the one the model used).
      oldBmi: oldBmi(features.demographics.bmi, features.demographics.bmiDate, settings.indexDate),
      kneeOaAfterIndex: kneeOaAfterIndex(modelInput, features, currency.lastRecord, settings.indexDate),
    },
  };
}

/**
 * A knee OA diagnosis the data hold from after the index date (a run for a past date, on data that
 * run past it): the patient is scored, as the builder did not see it at the index date, but is
 * already diagnosed by the end of the data, which a list for outreach must say. By the feature
 * builder's own rule (index-dates.ts kneeOaOnRecord, the builder's alreadyDiagnosed over the whole
 * record). Asked only of a scored patient whose record changed on or after the index date (a
 * diagnosis entering the record after it dates the record so: shared/record-dates.ts), so a run
 * for today, on data that end before it, builds no patient twice.
 */
function kneeOaAfterIndex(modelInput: readonly Resource[], features: PatientFeatures, lastRecord: string | null, indexDate: string): KneeOaAfterIndex | null {
  if (!features.eligibility.eligible || lastRecord === null || lastRecord < indexDate) return null;
  return kneeOaOnRecord(modelInput);
}

/** When the record last changed (shared/record-dates.ts, as the record's span dates it), and when
 * it last did before the index date, so the summary can say how current the data is: in a run
 * for a past index date, a record can change after it and yet say nothing of the year before it. */
function recordCurrency(resources: readonly Resource[], indexDate: string): Pick<RecordFacts, "lastRecord" | "lastRecordBeforeIndex"> {
  const { last, lastBefore } = recordLastDays(resources, parseCalendarDay(indexDate)!);
  const iso = (day: number | null) => (day === null ? null : dayToIsoDate(day));
  return { lastRecord: iso(last), lastRecordBeforeIndex: iso(lastBefore) };
}

export async function scoreBatch(model: RiskModel, patients: readonly PreparedPatient[], settings: ScoreSettings): Promise<ScoredPatient[]> {
  const plain = await Promise.all(patients.map(({ features }) => assessFeatures(model, features, { explain: false })));
  const explained = await Promise.all(
    plain.map((result, i) =>
      result.probability !== undefined && result.probability >= settings.explainFrom ? assessFeatures(model, patients[i]!.features) : result,
    ),
  );
  return patients.map((p, i) => scoredPatient(p.patientId, p.patient, explained[i]!, settings.includeNames, p.facts));
}
