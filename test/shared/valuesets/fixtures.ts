/** Helpers shared by the value-set tests: FHIR concepts from [system key, code] pairs. */
import type { CodeableConcept } from "fhir/r4";
import { SYSTEM, matchDiagnosis, matchMedication, type CodeSystemKey, type ValueSetEntry } from "../../../shared/valuesets.ts";

/** A concept with one coding per [system key, code] pair. */
export function concept(...codings: readonly (readonly [CodeSystemKey, string])[]): CodeableConcept {
  return { coding: codings.map(([system, code]) => ({ system: SYSTEM[system], code })) };
}
export const diagnosis = (system: CodeSystemKey, code: string) => matchDiagnosis(concept([system, code]));
export const medication = (system: CodeSystemKey, code: string) => matchMedication(concept([system, code]));

/** One coding that an entry must match: the code itself, or the first category of a range. */
export function sampleCode(entry: ValueSetEntry): string {
  return entry.match === "range" ? entry.code.split("-")[0]! : entry.code;
}
