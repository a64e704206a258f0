/**
 * What the job keeps of one patient's assessment: enough for every output file, nothing more.
 * Names and birth dates are kept only when the run was asked to include them (`--include-names`).
 */
import type { Patient } from "fhir/r4";
import type { RiskAssessmentResult } from "../../shared/assess-risk.ts";
import type { Eligibility } from "../../shared/features/types.ts";
import type { RecentKneeOaGrade } from "../../shared/imaging/recent-kl.ts";
import type { KneeReplaced } from "../../shared/knee-replaced.ts";
import type { OaSiteNotStated } from "../../shared/oa-site-not-stated.ts";
import type { OldBmi } from "../../shared/old-bmi.ts";
import type { DataQuality, FeatureWarning, IneligibleReason, Sex } from "../../shared/features/types.ts";
import type { RiskTier } from "../../shared/risk-tiers.ts";
import { driverWords, effectPoints, shownDrivers } from "../../shared/shown-drivers.ts";

export interface ScoredPatient {
  patientId: string;
  /** False when the record had resources naming the patient but no Patient resource. */
  hasPatient: boolean;
  mrn: string | null;
  /** Only with --include-names. */
  name?: string;
  birthDate?: string;
  sex: Sex;
  ageBand: string | null;
  ineligible: IneligibleReason[];
  /** null when not eligible (the model is not run). */
  probability: number | null;
  tier: RiskTier | null;
  /** The top three drivers in words; null when the patient was below the explanation floor. */
  reasons: string[] | null;
  warnings: FeatureWarning[];
  /** The latest day a resource entered the record (shared/record-dates.ts recordSpan), YYYY-MM-DD,
   * whatever the index date; null when nothing is dated. */
  lastRecord: string | null;
  /** The same before the index date; null when nothing before it is dated. */
  lastRecordBeforeIndex: string | null;
  /** The worse knee's newest imaging AI Kellgren-Lawrence grade up to the index date, when it is
   * 2 or more (shared/imaging/recent-kl.ts, the card's rule): radiographic knee OA already. */
  recentKneeOaGrade: RecentKneeOaGrade | null;
  /** An osteoarthritis Condition without a stated joint before the index date
   * (shared/oa-site-not-stated.ts, the card's rule): it may be knee OA already. */
  oaSiteNotStated: OaSiteNotStated | null;
  /** A knee replacement Procedure, or an artificial knee on the problem list, before the index
   * date (shared/knee-replaced.ts, the card's rule): likely knee OA already. */
  kneeReplaced: KneeReplaced | null;
  /** The BMI the model used and its date, when it is dated before the HISTORY_DAYS of history the
   * model reads (shared/old-bmi.ts, the card's and the app's rule): the risk rests on a weight that
   * may have changed since. Null when it is within them, or there is no BMI. */
  oldBmi: OldBmi | null;
  /** A knee OA diagnosis the record holds from after the index date, by the feature builder's rule
   * (population/index-dates.ts kneeOaOnRecord): its earliest evidence's first day and how precisely
   * the record dates it. Only of a scored patient (the builder saw none before the index date): a
   * run for a past date on data that run past it. Already diagnosed by the end of the data. */
  kneeOaAfterIndex: KneeOaAfterIndex | null;
}

/** The earliest knee OA evidence's first day (YYYY-MM-DD) and its precision (a `2025` onset is the
 * year, not 1 January), as the feature builder reports an already diagnosed patient. */
export type KneeOaAfterIndex = NonNullable<Eligibility["alreadyDiagnosed"]>;

/** What the outputs say of the record itself, read when it is assembled: when it last changed,
 * the card's caveats (shared/record-caveats.ts): a knee graded KL 2 or more, osteoarthritis
 * without a stated joint, a knee replacement on record; a BMI older than the model's history
 * (shared/old-bmi.ts); and a knee OA diagnosis on record after the index date. */
export type RecordFacts = Pick<
  ScoredPatient,
  "lastRecord" | "lastRecordBeforeIndex" | "recentKneeOaGrade" | "oaSiteNotStated" | "kneeReplaced" | "oldBmi" | "kneeOaAfterIndex"
>;

/** How many drivers the CSV lists. */
export const REASON_COUNT = 3;

const MRN_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0203";

/** The medical record number: the identifier typed MR (HL7 v2 table 0203), else one whose
 * system names an MRN. */
export function mrnOf(patient: Patient | undefined): string | null {
  const identifiers = patient?.identifier ?? [];
  const typed = identifiers.find((id) => id.type?.coding?.some((c) => c.system === MRN_TYPE_SYSTEM && c.code === "MR"));
  const named = identifiers.find((id) => typeof id.system === "string" && /mrn/i.test(id.system));
  return (typed ?? named)?.value ?? null;
}

/** Ten-year bands from 18 ("18-29", "30-39", ..., "90+"); null without an age. */
export function ageBand(ageYears: number | null): string | null {
  if (ageYears === null) return null;
  if (ageYears < 18) return "under 18";
  if (ageYears < 30) return "18-29";
  if (ageYears >= 90) return "90+";
  const low = Math.floor(ageYears / 10) * 10;
  return `${low}-${low + 9}`;
}

function displayName(patient: Patient | undefined): string {
  const name = patient?.name?.[0];
  if (name === undefined) return "";
  return name.text ?? [...(name.given ?? []), name.family ?? ""].join(" ").trim();
}

export function scoredPatient(
  patientId: string,
  /** The record's Patient, as the features read it (score-batch.ts), if it has one. */
  patient: Patient | undefined,
  result: RiskAssessmentResult,
  includeNames: boolean,
  facts: RecordFacts,
): ScoredPatient {
  // The card's and the app's rule: no driver that prints as 0.0 points, none for a missing BMI.
  const drivers =
    result.drivers === undefined ? undefined : shownDrivers(result.drivers, { bmiMissing: result.features.demographics.bmi === null }).slice(0, REASON_COUNT);
  return {
    patientId,
    hasPatient: patient !== undefined,
    mrn: mrnOf(patient),
    ...(includeNames ? { name: displayName(patient), birthDate: patient?.birthDate ?? "" } : {}),
    sex: result.features.demographics.sex,
    ageBand: ageBand(result.features.demographics.ageYears),
    ineligible: result.eligibility.reasons,
    probability: result.probability ?? null,
    tier: result.tier ?? null,
    reasons:
      drivers?.map((d) => {
        const { name, rest } = driverWords(d);
        return `${name}${rest} (${d.effect > 0 ? "raises" : "lowers"} by ${effectPoints(d.effect)} points)`;
      }) ??
      null,
    warnings: result.eligibility.warnings,
    ...facts,
  };
}

/** A patient as the checkpoint stores it: the id, the probability to rank by, and the whole
 * ScoredPatient as JSON. The scoring threads serialise their results so (a string is cheap to
 * pass between threads, and the reading thread, the busiest, need not stringify them). */
export interface StoredRow {
  patientId: string;
  probability: number | null;
  json: string;
}

export function storedRow(patient: ScoredPatient): StoredRow {
  return { patientId: patient.patientId, probability: patient.probability, json: JSON.stringify(patient) };
}

/** What the feature builder skipped (by reason) and could not map ("system|code") in one
 * patient's record. */
export type BuilderQuality = Pick<DataQuality, "skipped" | "unmappedCodes">;

/** A row as a scoring thread sends it: with its patient's BuilderQuality, which the checkpoint
 * adds to the run's totals in the transaction that stores the row (and does not store per
 * patient), so a resumed run's totals are an uninterrupted run's. */
export interface ScoredRow extends StoredRow {
  builderQuality: BuilderQuality;
}

export function scoredRow(patient: ScoredPatient, { skipped, unmappedCodes }: DataQuality): ScoredRow {
  return { ...storedRow(patient), builderQuality: { skipped, unmappedCodes } };
}
