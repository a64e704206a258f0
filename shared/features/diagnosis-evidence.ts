/**
 * Diagnosis evidence from Conditions and Encounters (rules in models/FEATURES.md, "Diagnosis
 * channels"):
 * - a Condition is evidence on one day: onsetDateTime, else onsetPeriod.start, else recordedDate,
 *   else the date of the Encounter it points to. A chronic problem-list entry counts on that one
 *   day only, not on every day it stays active; later visits that code it count again.
 * - an Encounter is evidence on its date (period.start, else period.end) for its reasonCode and
 *   for the Conditions its diagnosis and reasonReference point to.
 * - Conditions whose verificationStatus is entered-in-error or refuted are ignored (a coded
 *   status or, as in FHIR STU3, a plain code string), and so are Conditions recorded on or after
 *   the index date (unknown at the index date, whatever their onset) and Conditions with an
 *   invalid recordedDate (counted as skipped). Encounters that are entered-in-error or cancelled are ignored.
 */
import type { CodeableConcept } from "fhir/r4";
import { parseFhirDay } from "../fhir-dates.ts";
import { referenceTarget } from "../fhir-references.ts";
import { matchDiagnosis } from "../valuesets.ts";
import type { DiagnosisDays, DiagnosisMatch } from "./diagnosis-days.ts";
import { asArray, asObject, asString, cleanConcept, findContained, type JsonObject } from "./fhir-read.ts";
import type { QualityLog } from "./quality.ts";
import type { RecordHistory } from "./record-history.ts";
import type { RecordIndex } from "./record-index.ts";
import { conditionDate, conditionRecordedDate, encounterDate, evidenceDay, requireDay, type DayRead } from "./resource-dates.ts";
import { statusExclusion } from "./resource-status.ts";

/** A day of evidence and the FHIR date it was read from (whose precision the outcome keeps). */
interface EvidenceDate {
  day: number;
  date: string;
}

interface Sinks {
  days: DiagnosisDays;
  history: RecordHistory;
  quality: QualityLog;
}

/** What the evidence rules need while walking one record. */
interface Walk extends Sinks {
  index: RecordIndex;
  indexDay: number;
  /** Each usable Encounter's date by id, the last fallback for a Condition's date. */
  encounterDates: Map<string, EvidenceDate>;
  /** Matches of Conditions by resource, so a Condition referenced by visits is matched once. */
  matches: Map<JsonObject, DiagnosisMatch | null>;
}

export function collectDiagnosisEvidence(index: RecordIndex, indexDay: number, sinks: Sinks): void {
  const walk: Walk = { ...sinks, index, indexDay, encounterDates: new Map(), matches: new Map() };
  const visits: { encounter: JsonObject; when: EvidenceDate }[] = [];
  for (const encounter of index.encounters) {
    const when = encounterEvidenceDate(encounter, walk);
    if (when === null) continue;
    visits.push({ encounter, when });
    const id = asString(encounter.id);
    if (id !== undefined) walk.encounterDates.set(id, when);
  }
  for (const condition of index.conditions) addCondition(condition, walk);
  for (const { encounter, when } of visits) addEncounter(encounter, when, walk);
}

/** The Encounter's date if it is usable and before the index date. */
function encounterEvidenceDate(encounter: JsonObject, { indexDay, quality, history }: Walk): EvidenceDate | null {
  const excluded = statusExclusion(encounter, "Encounter");
  if (excluded !== undefined) {
    quality.skip("Encounter", excluded);
    return null;
  }
  const date = encounterDate(encounter);
  const when = requireEvidenceDate("Encounter", evidenceDay(indexDay, date), date, quality);
  if (when === null) return null;
  if (when.day >= indexDay) {
    quality.afterIndex();
    return null;
  }
  history.see(when.day);
  return when;
}

/** A date read as evidence, or null after counting why it cannot be one. */
function requireEvidenceDate(resourceType: string, read: DayRead, date: unknown, quality: QualityLog): EvidenceDate | null {
  const day = requireDay(resourceType, read, quality);
  // A day was read, so the value is a valid date string.
  return day === null ? null : { day, date: date as string };
}

/** Why a Condition's status or recorded date keeps it from being evidence at this index date,
 * or undefined. */
function conditionExclusion(condition: JsonObject, recorded: DayRead, indexDay: number): string | "after index" | undefined {
  const excluded = statusExclusion(condition, "Condition");
  if (excluded !== undefined) return excluded;
  if (typeof recorded === "number" && recorded >= indexDay) return "after index";
  return undefined;
}

/**
 * A Condition's cleaned code, or why its content keeps it from ever being evidence: an invalid
 * recordedDate (without it the record's history would start at the onset, which may lie years
 * before the Condition was written down), or no code. shared/record-dates.ts leaves such a
 * Condition undated by this same rule.
 */
export function conditionConcept(condition: JsonObject): CodeableConcept | "invalid recordedDate" | "no code" {
  const recorded = conditionRecordedDate(condition);
  if (recorded !== undefined && recorded !== null && parseFhirDay(recorded) === null) return "invalid recordedDate";
  return cleanConcept(condition.code) ?? "no code";
}

/** Matches a usable Condition's codes once, counting its codings once if none matched. */
function matchCondition(condition: JsonObject, concept: CodeableConcept, { matches, quality }: Walk): DiagnosisMatch {
  const known = matches.get(condition);
  if (known) return known;
  const match = matchDiagnosis(concept);
  quality.unmapped(match);
  matches.set(condition, match);
  return match;
}

/** The match of a Condition an Encounter points to, or null when it cannot be evidence. */
function referencedMatch(condition: JsonObject, walk: Walk): DiagnosisMatch | null {
  const known = walk.matches.get(condition);
  if (known !== undefined) return known;
  const concept = conditionConcept(condition);
  const usable = typeof concept !== "string" && conditionExclusion(condition, evidenceDay(walk.indexDay, conditionRecordedDate(condition)), walk.indexDay) === undefined;
  if (usable) return matchCondition(condition, concept, walk);
  walk.matches.set(condition, null);
  return null;
}

function addCondition(condition: JsonObject, walk: Walk): void {
  const { quality, indexDay } = walk;
  const recorded = evidenceDay(indexDay, conditionRecordedDate(condition));
  const exclusion = conditionExclusion(condition, recorded, indexDay);
  if (exclusion === "after index") return quality.afterIndex();
  if (exclusion !== undefined) return quality.skip("Condition", exclusion);
  const concept = conditionConcept(condition);
  if (typeof concept === "string") return quality.skip("Condition", concept);
  const date = conditionDate(condition);
  const read = evidenceDay(indexDay, date);
  const when = read === "missing" ? conditionEncounterDate(condition, walk) : requireEvidenceDate("Condition", read, date, quality);
  if (when === null) return;
  if (when.day >= indexDay) return quality.afterIndex();
  // The record's history starts when the Condition was recorded, not at an old onset.
  walk.history.see(typeof recorded === "number" ? recorded : when.day);
  if (walk.days.add(matchCondition(condition, concept, walk), when.day, when.date)) quality.used();
}

/** The date of the Encounter a Condition without dates belongs to, or null (counted). */
function conditionEncounterDate(condition: JsonObject, { encounterDates, quality }: Walk): EvidenceDate | null {
  const target = referenceTarget(condition.encounter, "Encounter");
  const when = target !== undefined && "id" in target ? encounterDates.get(target.id) : undefined;
  if (when !== undefined) return when;
  requireDay("Condition", "missing", quality);
  return null;
}

function addEncounter(encounter: JsonObject, when: EvidenceDate, walk: Walk): void {
  let used = false;
  for (const reason of asArray(encounter.reasonCode)) {
    const concept = cleanConcept(reason);
    if (concept === undefined) continue;
    const match = matchDiagnosis(concept);
    walk.quality.unmapped(match);
    used = walk.days.add(match, when.day, when.date) || used;
  }
  for (const entry of asArray(encounter.diagnosis)) {
    used = addReferenced(encounter, asObject(entry)?.condition, when, walk) || used;
  }
  for (const reference of asArray(encounter.reasonReference)) used = addReferenced(encounter, reference, when, walk) || used;
  if (used) walk.quality.used();
}

/** Evidence of a Condition an Encounter points to, on the Encounter's date. */
function addReferenced(encounter: JsonObject, reference: unknown, { day, date }: EvidenceDate, walk: Walk): boolean {
  const target = referenceTarget(reference, "Condition");
  if (target === undefined) return false;
  const condition =
    "contained" in target ? findContained(encounter, "Condition", target.contained) : walk.index.conditionsById.get(target.id);
  const match = condition === undefined ? null : referencedMatch(condition, walk);
  return match !== null && walk.days.add(match, day, date);
}
