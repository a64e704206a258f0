/**
 * The simulator's library entry: `simulateCohort` yields patients one at a time (nothing is kept
 * between patients, so memory does not grow with the cohort size).
 */
import type { Resource } from "fhir/r4";
import { parseCalendarDay } from "../../shared/fhir-dates.ts";
import { nextUuid } from "./ids.ts";
import { drawLatentPatient, type LatentPatient } from "./latent.ts";
import { DEFAULT_END_DATE } from "./parameters.ts";
import { Random, STREAM } from "./random.ts";
import { RECORD_TYPES, RecordBuilder, type PatientRecord } from "./record-builder.ts";
import { writeGeneralCare, writePatient } from "./record-care.ts";
import { writeKnee } from "./record-knee.ts";
import { chooseIndexDays, truthRecord, type TruthRecord } from "./truth.ts";

export type { TruthIndexDate, TruthRecord } from "./truth.ts";

export interface CohortOptions {
  /** Number of patients, a whole number >= 0. */
  patients: number;
  /** Any whole number in [0, 2^32); the same seed and end date give the same cohort. */
  seed: number;
  /** Last day of every record, YYYY-MM-DD (default 2025-12-31). */
  endDate?: string;
}

export interface SimulatedPatient {
  /** Patient first, then Encounter, Condition, MedicationRequest, MedicationStatement, Observation. */
  resources: Resource[];
  truth: TruthRecord;
}

/** Validated options: the end date as a UTC day number. */
export interface CohortPlan {
  patients: number;
  seed: number;
  endDay: number;
}

/** Checks options and says what is wrong in words (thrown as an Error). */
export function planCohort(options: CohortOptions): CohortPlan {
  const { patients, seed } = options;
  const endDate = options.endDate ?? DEFAULT_END_DATE;
  if (!Number.isSafeInteger(patients) || patients < 0) throw new Error(`patients must be a whole number >= 0, got ${String(patients)}`);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed >= 2 ** 32) throw new Error(`seed must be a whole number in [0, 4294967295], got ${String(seed)}`);
  const endDay = parseCalendarDay(endDate);
  if (endDay === null) throw new Error(`end date must be a calendar date YYYY-MM-DD, got "${endDate}"`);
  if (endDate < "1950-01-01" || endDate > "2100-12-31") throw new Error(`end date must lie between 1950-01-01 and 2100-12-31, got ${endDate}`);
  return { patients, seed, endDay };
}

/** Patient `number` of a cohort: its resources by type and its truth line. */
export function simulatePatient(plan: CohortPlan, number: number): { record: PatientRecord; truth: TruthRecord } {
  return recordOf(plan, drawLatentPatient(plan.seed, number, plan.endDay));
}

/** The record and truth written for a latent state (tests alter the state to isolate rules). */
export function recordOf(plan: CohortPlan, latent: LatentPatient): { record: PatientRecord; truth: TruthRecord } {
  const number = latent.number;
  const rng = new Random(plan.seed, number, STREAM.record);
  const ids = new Random(plan.seed, number, STREAM.ids);
  const patientId = nextUuid(ids);
  const builder = new RecordBuilder(rng, ids, patientId, plan.endDay);
  writePatient(builder, latent, rng);
  writeGeneralCare(builder, latent, rng);
  writeKnee(builder, latent, rng);
  // Index dates are the study design: their own stream keeps them fixed when the record changes.
  const indexDays = chooseIndexDays(new Random(plan.seed, number, STREAM.indexDates), latent);
  const truth = truthRecord(patientId, latent, indexDays);
  return { record: builder.record, truth };
}

export function* simulateCohort(options: CohortOptions): Generator<SimulatedPatient> {
  const plan = planCohort(options);
  for (let n = 0; n < plan.patients; n++) {
    const { record, truth } = simulatePatient(plan, n);
    const resources: Resource[] = [];
    for (const type of RECORD_TYPES) resources.push(...record[type]);
    yield { resources, truth };
  }
}
