/**
 * The days a medication resource covers, as an inclusive span of UTC days (rules in
 * models/FEATURES.md, "Medication channels"):
 * - MedicationRequest: from authoredOn (else dispenseRequest.validityPeriod.start) for one fill
 *   times (1 + numberOfRepeatsAllowed), whatever its status says now (a "stopped" order counts as
 *   ordered: the stop date is unknown and may lie after the index date). The refills never reach
 *   past the end of dispenseRequest.validityPeriod, or, without one, past one year from the
 *   start (an assumption: many jurisdictions let a prescription be filled for a year); the first
 *   fill always counts in full. Ignored when entered-in-error, cancelled or draft, or when it is
 *   an order NOT to give the drug (doNotPerform).
 * - MedicationStatement: effectivePeriod (an open period, end absent or null, runs to the day
 *   before the index date while the statement is active, else for one default supply; a partial
 *   end date runs to the end of its month or year), or effectiveDateTime as one day. Ignored when
 *   entered-in-error, not-taken or intended, or asserted on or after the index date.
 * - MedicationDispense: from whenHandedOver (else whenPrepared) for daysSupply. Ignored when
 *   entered-in-error, cancelled or declined.
 * A resource that starts on or after the index date is ignored (a partial start date whose period
 * reaches the index date counts as such); the caller cuts every span at the day before the index.
 */
import { asObject, asString, type JsonObject } from "./fhir-read.ts";
import { DEFAULT_SUPPLY_DAYS, durationDays, fillDays, quantityDays, refills } from "./medication-supply.ts";
import type { QualityLog } from "./quality.ts";
import {
  assertedDate,
  endDay,
  evidenceDay,
  medicationDispenseDate,
  medicationRequestDate,
  medicationStatementDate,
  requireDay,
} from "./resource-dates.ts";
import { statusExclusion } from "./resource-status.ts";

export interface Coverage {
  start: number;
  /** Inclusive. */
  end: number;
}

/** Longest span one order and its refills may cover without a validity period (one year). */
export const MAX_ORDER_DAYS = 365;

/** The span a medication resource covers, or null (after counting why) when it covers none. */
export function medicationCoverage(resource: JsonObject, type: string, indexDay: number, quality: QualityLog): Coverage | null {
  // Ignored statuses and doNotPerform (resource-status.ts).
  const excluded = statusExclusion(resource, type);
  if (excluded !== undefined) {
    quality.skip(type, excluded);
    return null;
  }
  const status = asString(resource.status);
  const coverage =
    type === "MedicationRequest"
      ? requestCoverage(resource, indexDay, quality)
      : type === "MedicationStatement"
        ? statementCoverage(resource, status, indexDay, quality)
        : dispenseCoverage(resource, indexDay, quality);
  if (coverage === null) return null;
  if (coverage.start >= indexDay || beforeIndex(assertedDate(resource), indexDay) === false) {
    quality.afterIndex();
    return null;
  }
  if (coverage.end < coverage.start) {
    quality.skip(type, "period ends before it starts");
    return null;
  }
  return coverage;
}

/** Whether an optional date is before the index date (undefined when absent or invalid). */
function beforeIndex(value: unknown, indexDay: number): boolean | undefined {
  const day = evidenceDay(indexDay, value);
  return typeof day === "number" ? day < indexDay : undefined;
}

function requestCoverage(request: JsonObject, indexDay: number, quality: QualityLog): Coverage | null {
  const dispense = asObject(request.dispenseRequest);
  const validity = asObject(dispense?.validityPeriod);
  const start = requireDay("MedicationRequest", evidenceDay(indexDay, medicationRequestDate(request)), quality);
  if (start === null) return null;
  const fill = fillDays(
    durationDays(dispense?.expectedSupplyDuration) ?? quantityDays(dispense?.quantity, request.dosageInstruction),
  );
  const validUntil = endDay(validity?.end);
  const limit = typeof validUntil === "number" ? validUntil : start + MAX_ORDER_DAYS - 1;
  const withRefills = start + fill * (1 + refills(dispense)) - 1;
  return { start, end: Math.max(start + fill - 1, Math.min(withRefills, limit)) };
}

function statementCoverage(statement: JsonObject, status: string | undefined, indexDay: number, quality: QualityLog): Coverage | null {
  const start = requireDay("MedicationStatement", evidenceDay(indexDay, medicationStatementDate(statement)), quality);
  if (start === null) return null;
  const period = asObject(statement.effectivePeriod);
  // effectiveDateTime (no period) is one day.
  if (period === undefined) return { start, end: start };
  if (period.end != null) {
    const end = requireDay("MedicationStatement", endDay(period.end), quality);
    return end === null ? null : { start, end };
  }
  return { start, end: status === "active" ? indexDay - 1 : start + DEFAULT_SUPPLY_DAYS - 1 };
}

function dispenseCoverage(dispense: JsonObject, indexDay: number, quality: QualityLog): Coverage | null {
  const start = requireDay("MedicationDispense", evidenceDay(indexDay, medicationDispenseDate(dispense)), quality);
  if (start === null) return null;
  const fill = fillDays(durationDays(dispense.daysSupply) ?? quantityDays(dispense.quantity, dispense.dosageInstruction));
  return { start, end: start + fill - 1 };
}
