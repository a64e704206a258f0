/**
 * The one rule for "osteoarthritis without a stated joint is on record", and the sentence the
 * CDS card and the SMART app put beside the risk (as for a radiograph that shows knee OA,
 * shared/imaging/kl-caveat.ts). The model knows knee OA only by its own codes; an "osteoarthritis"
 * or "unspecified osteoarthritis, unspecified site" Condition may be the knee, charted without
 * its joint, and then the patient already has the disease the risk is about. The clinician is
 * the one to tell, so both say it wherever the risk is shown.
 *
 * Which Conditions count: those coded in OA_SITE_NOT_STATED that the feature builder would count
 * and that had entered the record before the index date (enteredBefore, shared/counted-records.ts:
 * not refuted, not entered in error, not recorded on or after it).
 */
import type { Condition, Resource } from "fhir/r4";
import { parseFhirDay } from "./fhir-dates.ts";
import { enteredBefore } from "./counted-records.ts";
import { latestOnRecord, type OnRecord } from "./latest-on-record.ts";
import { resourceDay } from "./record-dates.ts";
import { namesOaSiteNotStated } from "./valuesets.ts";

/** The most recent such Condition's clinical day, or null when none is dated. */
export type OaSiteNotStated = OnRecord;

/** Whether an osteoarthritis Condition without a stated joint was on record before `indexDate`,
 * and the most recent one's day; null when none was. */
export function oaSiteNotStated(resources: readonly Resource[], indexDate: string): OaSiteNotStated | null {
  const indexDay = parseFhirDay(indexDate);
  if (indexDay === null) return null;
  const onRecord = enteredBefore(indexDay);
  return latestOnRecord(resources, (resource) =>
    resource.resourceType === "Condition" && namesOaSiteNotStated((resource as Condition).code) && onRecord(resource) ? resourceDay(resource) : undefined,
  );
}

export function oaSiteNotStatedCaveat(found: OaSiteNotStated): string {
  const when = found.date === null ? "undated" : `most recently ${found.date}`;
  return (
    `Osteoarthritis without a stated joint is on record (${when}): if it is the knee, the patient already has knee OA, ` +
    "and this estimate of a first knee OA diagnosis does not apply."
  );
}
