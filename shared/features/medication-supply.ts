/**
 * How many days one fill of a medication lasts: a stated duration, else the quantity divided by
 * the daily dose of the first dosage instruction (only when their units are comparable), else
 * DEFAULT_SUPPLY_DAYS.
 */
import { asNumber, asObject, asString, firstObject, type JsonObject } from "./fhir-read.ts";

/** Days of supply assumed when a prescription or dispense says nothing about it. */
export const DEFAULT_SUPPLY_DAYS = 30;
/** Longest single fill believed; longer stated supplies are cut to it. */
export const MAX_FILL_DAYS = 365;

/** Days per UCUM time unit (and the plain words seen in exports); a month counts 30 days. */
const DAYS_PER_UNIT: ReadonlyMap<string, number> = new Map(Object.entries({
  min: 1 / 1440,
  h: 1 / 24,
  hour: 1 / 24,
  hours: 1 / 24,
  d: 1,
  day: 1,
  days: 1,
  wk: 7,
  week: 7,
  weeks: 7,
  mo: 30,
  month: 30,
  months: 30,
  a: 365,
  year: 365,
  years: 365,
}));

const UCUM = "http://unitsofmeasure.org";

/** Days per unit of a Duration or time Quantity: its `code` when the system is UCUM (or not
 * stated), else its `unit` text; 1 (days) when neither is given; undefined when not a time unit.
 * A code of another system (SNOMED CT's 258703001 "day") is never read as a UCUM unit, even
 * when it happens to spell one. */
function daysPerUnit(quantity: JsonObject | undefined): number | undefined {
  const system = asString(quantity?.system);
  const code = system === undefined || system === UCUM ? asString(quantity?.code) : undefined;
  const fromCode = code === undefined ? undefined : DAYS_PER_UNIT.get(code.toLowerCase());
  if (fromCode !== undefined) return fromCode;
  const unit = asString(quantity?.unit);
  if (unit !== undefined) return DAYS_PER_UNIT.get(unit.toLowerCase());
  return quantity?.code === undefined ? 1 : undefined;
}

/** A Duration or time Quantity in days (no unit means days), or undefined when unusable. */
export function durationDays(value: unknown): number | undefined {
  const quantity = asObject(value);
  const amount = asNumber(quantity?.value);
  if (amount === undefined || amount <= 0) return undefined;
  const factor = daysPerUnit(quantity);
  return factor === undefined ? undefined : amount * factor;
}

/** Amount per day of the first dosage instruction, with its unit when stated. */
function dailyDose(dosageInstruction: unknown): { amount: number; unit?: string } | undefined {
  const dosage = firstObject(dosageInstruction);
  const dose = asObject(firstObject(dosage?.doseAndRate)?.doseQuantity);
  const amount = asNumber(dose?.value);
  const repeat = asObject(asObject(dosage?.timing)?.repeat);
  const period = asNumber(repeat?.period);
  const periodUnit = asString(repeat?.periodUnit);
  const frequency = repeat?.frequency === undefined ? 1 : asNumber(repeat.frequency);
  if (amount === undefined || amount <= 0 || period === undefined || period <= 0 || frequency === undefined || frequency <= 0) {
    return undefined;
  }
  const periodDays = period * (DAYS_PER_UNIT.get(periodUnit ?? "") ?? Number.NaN);
  if (!(periodDays > 0)) return undefined;
  const unit = asString(dose?.code) ?? asString(dose?.unit);
  return { amount: (amount * frequency) / periodDays, ...(unit === undefined ? {} : { unit }) };
}

/** Units that count dose forms (tablets, capsules...): a quantity or dose without a unit is such
 * a count too. UCUM annotations ({tbl}) and common abbreviations, lower case. */
const COUNT_UNITS: ReadonlySet<string> = new Set([
  "1", "{count}", "{tbl}", "{tablet}", "{tablets}", "{capsule}", "{capsules}", "{cap}", "{pill}",
  "tablet", "tablets", "tab", "tabs", "capsule", "capsules", "cap", "caps", "pill", "pills", "each", "ea",
]);

/** Whether a quantity and a dose in these units can be divided: the same unit, or both counts. */
function comparableUnits(quantityUnit: string | undefined, doseUnit: string | undefined): boolean {
  const a = quantityUnit?.toLowerCase();
  const b = doseUnit?.toLowerCase();
  const aCount = a === undefined || COUNT_UNITS.has(a);
  const bCount = b === undefined || COUNT_UNITS.has(b);
  return aCount || bCount ? aCount && bCount : a === b;
}

/** Quantity / daily dose in days, when both are known and their units are comparable (60 with
 * no unit against a 200 mg dose is not: it says nothing about days). */
export function quantityDays(quantityValue: unknown, dosageInstruction: unknown): number | undefined {
  const quantity = asObject(quantityValue);
  const amount = asNumber(quantity?.value);
  const dose = dailyDose(dosageInstruction);
  if (amount === undefined || amount <= 0 || dose === undefined) return undefined;
  const unit = asString(quantity?.code) ?? asString(quantity?.unit);
  if (!comparableUnits(unit, dose.unit)) return undefined;
  return amount / dose.amount;
}

/** Whole days of one fill: rounded up, at least 1, at most MAX_FILL_DAYS. */
export function fillDays(days: number | undefined): number {
  if (days === undefined) return DEFAULT_SUPPLY_DAYS;
  return Math.min(MAX_FILL_DAYS, Math.max(1, Math.ceil(days - 1e-9)));
}

/** Number of refills allowed, 0 when absent or malformed. */
export function refills(dispenseRequest: unknown): number {
  const repeats = asNumber(asObject(dispenseRequest)?.numberOfRepeatsAllowed);
  return repeats === undefined || repeats < 0 ? 0 : Math.floor(repeats);
}
