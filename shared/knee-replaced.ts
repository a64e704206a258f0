/**
 * The one rule for "a knee replacement is on record", and the sentence the CDS card, the SMART
 * app and the population list put beside the risk (as for osteoarthritis without a stated joint,
 * shared/oa-site-not-stated.ts). Knee replacement is done above all for knee osteoarthritis, so
 * the patient most likely has the disease the risk is about, even when no knee OA code was
 * charted (docs/terminology.md, "Knee OA coded otherwise").
 *
 * Which resources count (codes: KNEE_REPLACED):
 * - a Procedure, unless it was not done, is only being prepared or was entered in error, performed
 *   before the index date (an undated one counts: the question is whether the knee was replaced);
 * - a Condition "presence of artificial knee joint" (Z96.65) that the feature builder would count
 *   and that had entered the record before the index date (enteredBefore).
 */
import type { Condition, Procedure, Resource } from "fhir/r4";
import { parseFhirDay } from "./fhir-dates.ts";
import { enteredBefore } from "./counted-records.ts";
import { latestOnRecord, type OnRecord } from "./latest-on-record.ts";
import { resourceDay } from "./record-dates.ts";
import { namesKneeReplacement } from "./valuesets.ts";

/** The most recent one's day (a Procedure's performed day, a Condition's clinical day), or null
 * when none is dated. */
export type KneeReplaced = OnRecord;

/** Procedure statuses that say the knee was not (or not yet) replaced (FHIR R4 EventStatus). */
const NOT_PERFORMED: ReadonlySet<unknown> = new Set(["not-done", "preparation", "entered-in-error"]);

/** A Procedure's performed day: performedDateTime, else its period's start, else its end. */
function performedDay(procedure: Procedure): number | null {
  const period = procedure.performedPeriod;
  return parseFhirDay(procedure.performedDateTime ?? period?.start ?? period?.end);
}

/** Whether a knee replacement was on record before `indexDate`, and the most recent one's day;
 * null when none was. */
export function kneeReplaced(resources: readonly Resource[], indexDate: string): KneeReplaced | null {
  const indexDay = parseFhirDay(indexDate);
  if (indexDay === null) return null;
  const conditionOnRecord = enteredBefore(indexDay);
  return latestOnRecord(resources, (resource) => {
    if (resource.resourceType === "Condition") {
      const condition = resource as Condition;
      return namesKneeReplacement(condition.code) && conditionOnRecord(condition) ? resourceDay(condition) : undefined;
    }
    if (resource.resourceType !== "Procedure") return undefined;
    const procedure = resource as Procedure;
    if (NOT_PERFORMED.has(procedure.status) || !namesKneeReplacement(procedure.code)) return undefined;
    const day = performedDay(procedure);
    return day !== null && day >= indexDay ? undefined : day;
  });
}

export function kneeReplacedCaveat(found: KneeReplaced): string {
  const when = found.date === null ? "undated" : `most recently ${found.date}`;
  return (
    `A knee replacement is on record (${when}): knee replacement is done mostly for knee osteoarthritis, so the patient likely ` +
    "already has knee OA, and this estimate of a first knee OA diagnosis may not apply."
  );
}

/** Said beside the risk instead when the Procedures could not be read: the caveat above can then
 * come only from the diagnoses. */
export const PROCEDURES_UNREAD = "Procedures could not be read: a knee replacement would be noted here only if the diagnoses record an artificial knee joint.";
