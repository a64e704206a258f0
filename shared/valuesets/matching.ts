/**
 * matchDiagnosis / matchMedication: the diagnosis groups or medication classes of a FHIR
 * CodeableConcept, read through lookups built once at module load from the frozen tables.
 */
import type { CodeableConcept } from "fhir/r4";
import { DIAGNOSIS_GROUPS } from "./diagnosis-groups/index.ts";
import { DIAGNOSIS_GROUP_IDS, MEDICATION_CLASS_IDS, type DiagnosisGroupId, type MedicationClassId } from "./ids.ts";
import { KNEE_OA } from "./knee-oa.ts";
import { buildLookup, lookupMask, type SystemMaps } from "./lookup.ts";
import { MEDICATION_CLASSES } from "./medication-classes/index.ts";

/** Codings that matched no table, as "system|code" (a coding without system gives "|code"). */
export interface ConceptMatch<Id extends string> {
  ids: readonly Id[];
  unmapped: readonly string[];
}

const KNEE_OA_BIT = 1 << DIAGNOSIS_GROUP_IDS.length;
const DIAGNOSIS_LOOKUP = buildLookup([...DIAGNOSIS_GROUP_IDS.map((id) => DIAGNOSIS_GROUPS[id]), KNEE_OA]);
const MEDICATION_LOOKUP = buildLookup(MEDICATION_CLASS_IDS.map((id) => MEDICATION_CLASSES[id]));

const NONE: readonly never[] = Object.freeze([]);

/** How an unrecognised coding is named in the quality report: system|code (system "" if absent). */
export function codingKey(system: unknown, code: string): string {
  return `${typeof system === "string" ? system : ""}|${code}`;
}

/** Matches every coding; returns the OR of their masks and the codings that matched nothing. */
function matchConcept(maps: SystemMaps, concept: CodeableConcept | undefined): { mask: number; unmapped: readonly string[] } {
  let mask = 0;
  let unmapped: string[] | undefined;
  const codings = Array.isArray(concept?.coding) ? concept.coding : NONE;
  for (const coding of codings) {
    // A coding without a code (text-only or malformed) has nothing to look up or report.
    if (typeof coding?.code !== "string" || coding.code.trim() === "") continue;
    const m = lookupMask(maps, coding);
    if (m === 0) (unmapped ??= []).push(codingKey(coding.system, coding.code));
    mask |= m;
  }
  return { mask, unmapped: unmapped ?? NONE };
}

function idsOf<Id extends string>(ids: readonly Id[], mask: number): readonly Id[] {
  if ((mask & ((1 << ids.length) - 1)) === 0) return NONE;
  const out: Id[] = [];
  ids.forEach((id, bit) => {
    if (mask & (1 << bit)) out.push(id);
  });
  return out;
}

/** The diagnosis groups a concept falls in, and whether it is a knee OA code (the outcome). */
export function matchDiagnosis(concept: CodeableConcept | undefined): ConceptMatch<DiagnosisGroupId> & { kneeOa: boolean } {
  const { mask, unmapped } = matchConcept(DIAGNOSIS_LOOKUP, concept);
  return { ids: idsOf(DIAGNOSIS_GROUP_IDS, mask), unmapped, kneeOa: (mask & KNEE_OA_BIT) !== 0 };
}

/** The medication classes a concept falls in (a combination product may fall in several). */
export function matchMedication(concept: CodeableConcept | undefined): ConceptMatch<MedicationClassId> {
  const { mask, unmapped } = matchConcept(MEDICATION_LOOKUP, concept);
  return { ids: idsOf(MEDICATION_CLASS_IDS, mask), unmapped };
}
