/**
 * Diagnosis evidence from Conditions and Encounters (rules in models/FEATURES.md, "Diagnosis
 * channels"):
 * - a Condition is evidence on one day: onsetDateTime, else onsetPeriod.start, else recordedDate,
 *   else the date of the Encounter it points to. A chronic problem-list entry counts on that one
 *   day only, not on every day it stays active; later visits that code it count again.
 * - an Encounter is evidence on its date (period.start, else period.end) for its reasonCode and
 *   for the Conditions its diagnosis and reasonReference point to.
 * - Conditions whose verificationStatus is entered-in-error or refuted are ignored, and so are
 *   Conditions recorded on or after the index date (unknown at the index date, whatever their
 *   onset). Encounters that are entered-in-error or cancelled are ignored.
 */
import { matchDiagnosis } from "../valuesets.ts";
import type { DiagnosisDays, DiagnosisMatch } from "./diagnosis-days.ts";
import { asArray, asObject, asString, cleanConcept, findCode, findContained, referenceTarget, type JsonObject } from "./fhir-read.ts";
import type { QualityLog } from "./quality.ts";
import type { RecordHistory } from "./record-history.ts";
import type { RecordIndex } from "./record-index.ts";
import { firstDay, requireDay, type DayRead } from "./resource-dates.ts";

const EXCLUDED_VERIFICATION = new Set(["entered-in-error", "refuted"]);
const EXCLUDED_ENCOUNTER_STATUS = new Set(["entered-in-error", "cancelled"]);

interface Sinks {
  days: DiagnosisDays;
  history: RecordHistory;
  quality: QualityLog;
}

/** Matches of Conditions by resource, so a Condition referenced by visits is matched once. */
type ConditionMatches = Map<JsonObject, DiagnosisMatch | null>;

export function collectDiagnosisEvidence(index: RecordIndex, indexDay: number, sinks: Sinks): void {
  const encounterDays = new Map<string, number>();
  const visits: { encounter: JsonObject; day: number }[] = [];
  for (const encounter of index.encounters) {
    const day = encounterDay(encounter, indexDay, sinks);
    if (day === null) continue;
    visits.push({ encounter, day });
    const id = asString(encounter.id);
    if (id !== undefined) encounterDays.set(id, day);
  }
  const matches: ConditionMatches = new Map();
  for (const condition of index.conditions) {
    addCondition(condition, encounterDays, indexDay, matches, sinks);
  }
  for (const { encounter, day } of visits) addEncounter(encounter, day, index, indexDay, matches, sinks);
}

/** The Encounter's day if it is usable and before the index date. */
function encounterDay(encounter: JsonObject, indexDay: number, { quality, history }: Sinks): number | null {
  const status = asString(encounter.status);
  if (status !== undefined && EXCLUDED_ENCOUNTER_STATUS.has(status)) {
    quality.skip("Encounter", `status ${status}`);
    return null;
  }
  const period = asObject(encounter.period);
  const day = requireDay("Encounter", firstDay(period?.start, period?.end), quality);
  if (day === null) return null;
  if (day >= indexDay) {
    quality.afterIndex();
    return null;
  }
  history.see(day);
  return day;
}

/** Why a Condition cannot be evidence at all, or undefined when it can. */
function conditionExclusion(condition: JsonObject, recorded: DayRead, indexDay: number): string | "after index" | undefined {
  const excluded = findCode(condition.verificationStatus, EXCLUDED_VERIFICATION);
  if (excluded !== undefined) return `verificationStatus ${excluded}`;
  if (typeof recorded === "number" && recorded >= indexDay) return "after index";
  return undefined;
}

function conditionMatch(condition: JsonObject, indexDay: number, matches: ConditionMatches, quality: QualityLog): DiagnosisMatch | null {
  const known = matches.get(condition);
  if (known !== undefined) return known;
  let match: DiagnosisMatch | null = null;
  const concept = cleanConcept(condition.code);
  if (concept !== undefined && conditionExclusion(condition, firstDay(condition.recordedDate), indexDay) === undefined) {
    const result = matchDiagnosis(concept);
    quality.unmapped(result.unmapped);
    match = result;
  }
  matches.set(condition, match);
  return match;
}

function addCondition(
  condition: JsonObject,
  encounterDays: ReadonlyMap<string, number>,
  indexDay: number,
  matches: ConditionMatches,
  sinks: Sinks,
): void {
  const { quality } = sinks;
  const recorded = firstDay(condition.recordedDate);
  const exclusion = conditionExclusion(condition, recorded, indexDay);
  if (exclusion === "after index") return quality.afterIndex();
  if (exclusion !== undefined) return quality.skip("Condition", exclusion);
  if (cleanConcept(condition.code) === undefined) return quality.skip("Condition", "no code");
  const onsetPeriod = asObject(condition.onsetPeriod);
  const encounter = referenceTarget(condition.encounter, "Encounter");
  const encounterDay = encounter !== undefined && "id" in encounter ? encounterDays.get(encounter.id) : undefined;
  const read = firstDay(condition.onsetDateTime, onsetPeriod?.start, condition.recordedDate);
  const day = read === "missing" && encounterDay !== undefined ? encounterDay : requireDay("Condition", read, quality);
  if (day === null) return;
  if (day >= indexDay) return quality.afterIndex();
  // The record's history starts when the Condition was recorded, not at an old onset.
  sinks.history.see(typeof recorded === "number" ? recorded : day);
  const match = conditionMatch(condition, indexDay, matches, quality);
  if (match !== null && sinks.days.add(match, day)) quality.used();
}

function addEncounter(
  encounter: JsonObject,
  day: number,
  index: RecordIndex,
  indexDay: number,
  matches: ConditionMatches,
  { days, quality }: Sinks,
): void {
  let used = false;
  for (const reason of asArray(encounter.reasonCode)) {
    const concept = cleanConcept(reason);
    if (concept === undefined) continue;
    const match = matchDiagnosis(concept);
    quality.unmapped(match.unmapped);
    used = days.add(match, day) || used;
  }
  const addReferenced = (reference: unknown): void => {
    const condition = resolveCondition(encounter, reference, index);
    const match = condition === undefined ? null : conditionMatch(condition, indexDay, matches, quality);
    if (match !== null) used = days.add(match, day) || used;
  };
  for (const entry of asArray(encounter.diagnosis)) addReferenced(asObject(entry)?.condition);
  for (const reference of asArray(encounter.reasonReference)) addReferenced(reference);
  if (used) quality.used();
}

function resolveCondition(encounter: JsonObject, reference: unknown, index: RecordIndex): JsonObject | undefined {
  const target = referenceTarget(reference, "Condition");
  if (target === undefined) return undefined;
  return "contained" in target ? findContained(encounter, "Condition", target.contained) : index.conditionsById.get(target.id);
}
