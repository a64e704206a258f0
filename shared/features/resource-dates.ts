/**
 * Dates of resources with fallbacks: the first field that is present decides. A present but
 * invalid date makes the resource unusable (it is counted, never guessed at).
 *
 * Partial dates (`2019`, `2019-11`) stand for a whole year or month. As evidence before the index
 * date, such a date counts only when its whole period ends before the index date; then it counts
 * on its first day. A period that reaches the index date may describe a day on or after it, so
 * the date is read as the index day itself, which every "on or after the index" rule drops.
 * An END date (of a period) means the last day of its year or month.
 *
 * Which field dates a resource of each type (its fallback order) is written once, in the
 * readers below: the feature builder reads its evidence dates through them, and so does
 * shared/record-dates.ts (the population job's record span, the SMART app's record dates), so
 * the two cannot date a resource differently.
 */
import { datePrecision, parseFhirDay, parseFhirLastDay } from "../fhir-dates.ts";
import { asObject, type JsonObject } from "./fhir-read.ts";
import type { QualityLog } from "./quality.ts";

export type DayRead = number | "missing" | "invalid";

/** The UTC day of a date value (one of the readers below has chosen it among the type's
 * fields), as evidence seen at `indexDay` (see above for partial dates); "missing" when it is
 * undefined or null. */
export function evidenceDay(indexDay: number, value: unknown): DayRead {
  if (value === undefined || value === null) return "missing";
  const day = parseFhirDay(value);
  if (day === null) return "invalid";
  if (day < indexDay && datePrecision(value as string) !== "day" && (parseFhirLastDay(value) ?? day) >= indexDay) {
    return indexDay;
  }
  return day;
}

/** The last UTC day of a period's end date (a partial end date ends with its year or month). */
export function endDay(value: unknown): DayRead {
  if (value === undefined || value === null) return "missing";
  return parseFhirLastDay(value) ?? "invalid";
}

/** A read day, or null after counting why the resource cannot be dated. */
export function requireDay(resourceType: string, read: DayRead, quality: QualityLog): number | null {
  if (typeof read === "number") return read;
  quality.skip(resourceType, read === "missing" ? "no usable date" : "invalid date");
  return null;
}

/*
 * The date value of each resource type the builder reads: the first candidate that is present
 * (not undefined or null), undefined when none is. That value alone decides: when it is not a
 * valid date, the resource is undated (the next candidate is never tried). Pass it to
 * evidenceDay (as evidence at an index date) or parseFhirDay (as a plain day).
 */

/** onsetDateTime, else onsetPeriod.start, else recordedDate. (The builder then falls back to the
 * date of the Encounter the Condition points to, which needs the record: not done here.) */
export const conditionDate = (condition: JsonObject): unknown =>
  condition.onsetDateTime ?? asObject(condition.onsetPeriod)?.start ?? condition.recordedDate;

/** period.start, else period.end (also the day of the diagnoses and reasons it lists). */
export function encounterDate(encounter: JsonObject): unknown {
  const period = asObject(encounter.period);
  return period?.start ?? period?.end;
}

/** effectiveDateTime, else effectivePeriod.start, else effectiveInstant, else issued. */
export const observationDate = (observation: JsonObject): unknown =>
  observation.effectiveDateTime ??
  asObject(observation.effectivePeriod)?.start ??
  observation.effectiveInstant ??
  observation.issued;

/** authoredOn, else dispenseRequest.validityPeriod.start. */
export const medicationRequestDate = (request: JsonObject): unknown =>
  request.authoredOn ?? asObject(asObject(request.dispenseRequest)?.validityPeriod)?.start;

/** effectivePeriod.start when effectivePeriod is present (an object), else effectiveDateTime.
 * dateAsserted never dates a statement: it only says when it was known (the builder ignores a
 * statement asserted on or after the index date). */
export function medicationStatementDate(statement: JsonObject): unknown {
  const period = asObject(statement.effectivePeriod);
  return period === undefined ? statement.effectiveDateTime : period.start;
}

/** whenHandedOver, else whenPrepared. */
export const medicationDispenseDate = (dispense: JsonObject): unknown => dispense.whenHandedOver ?? dispense.whenPrepared;

/** The date reader of each type the feature builder dates; other types (Patient, Medication,
 * Claim, Procedure, ...) have none. */
export const RESOURCE_DATE_READERS: Readonly<Record<string, (resource: JsonObject) => unknown>> = Object.freeze({
  Condition: conditionDate,
  Encounter: encounterDate,
  MedicationDispense: medicationDispenseDate,
  MedicationRequest: medicationRequestDate,
  MedicationStatement: medicationStatementDate,
  Observation: observationDate,
});

/*
 * When a resource was written into the record, for the types that say so apart from their
 * clinical date. The builder ignores such a resource at index dates on or before that day (it was
 * not known yet), so its record history counts the resource only from then; shared/record-dates.ts
 * dates a record's span by the same readers.
 */

/** A Condition's recordedDate. */
export const conditionRecordedDate = (condition: JsonObject): unknown => condition.recordedDate;

/** A MedicationStatement's dateAsserted (the other medication resources have none). */
export const assertedDate = (resource: JsonObject): unknown => resource.dateAsserted;

/** The recorded-date reader of each type that has one. */
export const RECORDED_DATE_READERS: Readonly<Record<string, (resource: JsonObject) => unknown>> = Object.freeze({
  Condition: conditionRecordedDate,
  MedicationStatement: assertedDate,
});
