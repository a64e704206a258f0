/** Types of the feature builder's input and output (see models/FEATURES.md). */
import type { Resource } from "fhir/r4";
import type { DatePrecision } from "../fhir-dates.ts";

/** One patient's resources, any order, duplicates possible. Medication resources referenced by
 * MedicationRequest/Statement/Dispense may be included (or contained). */
export type PatientResources = readonly Resource[];

export type Sex = "female" | "male" | "other" | "unknown";

export interface FeatureOptions {
  /** Minimum age in years at the index date to be eligible. Default 18. */
  minAgeYears?: number;
}

export type IneligibleReason = "born_after_index" | "under_min_age" | "already_diagnosed" | "no_birth_date" | "no_patient" | "deceased";
export type FeatureWarning = "short_history" | "no_bmi";

export interface Eligibility {
  eligible: boolean;
  reasons: IneligibleReason[];
  /** Set when a knee OA diagnosis is recorded before the index date: the earliest such day
   * (YYYY-MM-DD; the first day of a year or month the record gives alone) and how precisely the
   * record dates it, so that a diagnosis recorded as `2013` is not shown as 1 January 2013. */
  alreadyDiagnosed?: { date: string; precision: DatePrecision };
  warnings: FeatureWarning[];
}

export interface DataQuality {
  /** Resources that contributed evidence to at least one feature. */
  resourcesUsed: number;
  /** Resources skipped, by reason (e.g. "Condition: no usable date"). */
  skipped: Record<string, number>;
  /** Codings that matched no value set, keyed "system|code". */
  unmappedCodes: Record<string, number>;
  /** Resources dated on or after the index date, ignored. */
  ignoredOnOrAfterIndex: number;
}

export interface PatientFeatures {
  specVersion: string;
  /** YYYY-MM-DD (UTC calendar day). */
  indexDate: string;
  /** CHANNEL_COUNT x WEEKS, channel-major: value of channel c in week w at [c * WEEKS + w];
   * week WEEKS-1 ends the day before the index date. */
  sequence: Float32Array;
  /** STATIC_COUNT scaled values in STATIC_FEATURES order. */
  static: Float32Array;
  /** The unscaled values behind `static`, for display. */
  demographics: {
    ageYears: number | null;
    sex: Sex;
    bmi: number | null;
    bmiDate?: string;
    historyYears: number;
  };
  eligibility: Eligibility;
  quality: DataQuality;
}
