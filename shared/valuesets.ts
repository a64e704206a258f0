/**
 * Patella value sets: the codes that put a FHIR coding into a Deep-KOA diagnosis group or
 * medication class, and the codes of the outcome (knee osteoarthritis).
 *
 * One module, versioned: VALUE_SETS_VERSION changes whenever any table below changes, and the
 * feature-spec version (shared/features/spec.ts) includes it, so a model trained on one
 * version of these tables is never fed features built with another.
 *
 * Matching rules (matchDiagnosis / matchMedication):
 * - by system + code, over every coding of a CodeableConcept; a concept may fall in several
 *   groups; ids come back deduplicated, in channel order;
 * - ICD-10-CM and ICD-9-CM codes compare case-insensitively with or without the dot, and every
 *   ICD entry is a prefix rule (M17 matches M17.11, S83.5 matches S83.511A): an ICD code's
 *   extra characters only make it more specific;
 * - ATC entries are prefix rules too (M01A matches M01AE01);
 * - SNOMED CT, RxNorm and LOINC codes are exact;
 * - codings with an unknown system or code come back in `unmapped`, never as an error.
 * The lookup maps are built once at module load and stay private; a coding costs one Map lookup
 * (exact systems) or one per possible prefix length (at most 5 for ICD-10-CM).
 *
 * Where the codes come from: every entry names its source (CodeSource), and
 * shared/valuesets/sources.ts says which public file or release each source is; docs/terminology.md
 * records how the codes were checked and which ones were removed because no public source
 * confirmed them. There are no unverified entries: a code is added only with a source.
 *
 * Known gaps: SNOMED CT descendants of the listed concepts (e.g. the US-extension laterality
 * variants of knee OA) and RxNorm products not listed here are reported as unmapped; an is-a /
 * ingredient expansion from a terminology server is the way to close that, not more typing.
 *
 * Layout: this file is the only entry point (code outside shared/valuesets/ imports from here);
 * the tables and the matching code live in shared/valuesets/: systems.ts (code systems),
 * ids.ts (channel order), types.ts, entries.ts (row shorthands), knee-oa.ts (the outcome),
 * diagnosis-groups/ and medication-classes/ (one file per clinical domain), lookup.ts and
 * matching.ts (the compiled lookup and matchDiagnosis / matchMedication).
 */

// Bump on ANY change to the tables or the matching rules (the feature-spec version embeds it).
export const VALUE_SETS_VERSION = "2026.11.2";

export { DIAGNOSIS_GROUPS } from "./valuesets/diagnosis-groups/index.ts";
export { DIAGNOSIS_GROUP_IDS, MEDICATION_CLASS_IDS, type DiagnosisGroupId, type MedicationClassId } from "./valuesets/ids.ts";
export { KNEE_OA } from "./valuesets/knee-oa.ts";
export { KNEE_REPLACED, namesKneeReplacement } from "./valuesets/knee-replaced.ts";
export { matchDiagnosis, matchMedication, type ConceptMatch } from "./valuesets/matching.ts";
export { namesOaSiteNotStated, OA_SITE_NOT_STATED } from "./valuesets/oa-site-not-stated.ts";
export { MEDICATION_CLASSES } from "./valuesets/medication-classes/index.ts";
export { OBSERVATION_LOINC, SYSTEM, type CodeSystemKey } from "./valuesets/systems.ts";
export { CODE_SOURCES } from "./valuesets/sources.ts";
export type { CodeSource, MatchKind, ValueSet, ValueSetEntry } from "./valuesets/types.ts";
