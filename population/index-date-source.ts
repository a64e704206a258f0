/**
 * Where a patient's labelled index dates come from: the simulator's truth.ndjson when the
 * directory has one, else the index-date policy (index-dates.ts). One interface for the
 * commands that turn a population into rows (features, evaluation).
 */
import type { Resource } from "fhir/r4";
import { policyIndexDates, type IndexDatePolicyOptions } from "./index-dates.ts";
import type { TruthStore } from "./truth-store.ts";

export interface LabelledIndexDate {
  /** YYYY-MM-DD. */
  indexDate: string;
  /** 1 when knee OA is diagnosed within [indexDate, indexDate + 365 days). */
  label: 0 | 1;
  /** The simulator's true risk; null under the policy (no truth known). */
  trueRisk1y: number | null;
}

export interface IndexDateSource {
  kind: "truth.ndjson" | "index-date policy";
  /** The patient's index dates, or null when the truth has no line for the patient. */
  indexDatesOf(patientId: string, resources: readonly Resource[]): LabelledIndexDate[] | null;
}

export function truthSource(truth: TruthStore): IndexDateSource {
  return {
    kind: "truth.ndjson",
    indexDatesOf: (patientId) =>
      truth.indexDates(patientId)?.map((d) => ({ indexDate: d.date, label: d.outcome1y ? 1 : 0, trueRisk1y: d.trueRisk1y })) ??
      null,
  };
}

export function policySource(options: IndexDatePolicyOptions = {}): IndexDateSource {
  return {
    kind: "index-date policy",
    indexDatesOf: (_patientId, resources) =>
      policyIndexDates(resources, options).indexDates.map((d) => ({ ...d, trueRisk1y: null })),
  };
}
