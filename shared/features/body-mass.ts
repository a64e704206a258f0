/**
 * The latest BMI before the index date: an Observation with LOINC 39156-5, or computed from the
 * latest body weight (29463-7) and body height (8302-2), whichever is more recent (a stated BMI
 * wins a tie). Units: kg/m2; kg, g, lb; m, cm, mm, in, ft. Values outside plausible ranges are
 * skipped as typing errors. LOINC is recognised under any of its system spellings (URL or
 * OID). Also notes every dated Observation in the record history (its callers give it body
 * measures only: shared/model-input.ts).
 */
import { OBSERVATION_LOINC } from "../valuesets.ts";
import { codeSystemOf } from "../valuesets/systems.ts";
import { asArray, asNumber, asObject, asString, type JsonObject } from "./fhir-read.ts";
import type { QualityLog } from "./quality.ts";
import type { RecordHistory } from "./record-history.ts";
import { evidenceDay, observationDate, requireDay } from "./resource-dates.ts";
import { statusExclusion } from "./resource-status.ts";

export interface BmiReading {
  bmi: number;
  day: number;
  /** The Observations it was taken from: the stated BMI, or the weight and the height. */
  sources: readonly JsonObject[];
}

type Measure = "bmi" | "weight" | "height";

interface MeasureRule {
  loinc: string;
  /** Factor to the canonical unit (kg/m2, kg, m) per unit code or word, lower case. */
  units: ReadonlyMap<string, number>;
  /** Canonical unit factor when no unit is given, by value (heights: metres below 3, else cm). */
  noUnit: (value: number) => number;
  min: number;
  max: number;
}

/** The BMI range (kg/m2) the builder accepts, stated or computed; anything outside is skipped as
 * a typing error. Exported so that the app's what-if refuses what the builder would ignore. */
export const PLAUSIBLE_BMI = Object.freeze({ min: 10, max: 100 });

const POUND_KG = 0.45359237;
const unitFactors = (factors: Record<string, number>): ReadonlyMap<string, number> => new Map(Object.entries(factors));
const RULES: Readonly<Record<Measure, MeasureRule>> = {
  bmi: {
    loinc: OBSERVATION_LOINC.bmi,
    units: unitFactors({ "kg/m2": 1, "kg/m^2": 1, "kg/m²": 1 }),
    noUnit: () => 1,
    min: PLAUSIBLE_BMI.min,
    max: PLAUSIBLE_BMI.max,
  },
  weight: {
    loinc: OBSERVATION_LOINC.bodyWeight,
    units: unitFactors({ kg: 1, g: 0.001, "[lb_av]": POUND_KG, lb: POUND_KG, lbs: POUND_KG }),
    noUnit: () => 1,
    min: 2,
    max: 500,
  },
  height: {
    loinc: OBSERVATION_LOINC.bodyHeight,
    units: unitFactors({ m: 1, cm: 0.01, mm: 0.001, "[in_i]": 0.0254, in: 0.0254, "[ft_i]": 0.3048, ft: 0.3048 }),
    noUnit: (value) => (value < 3 ? 1 : 0.01),
    min: 0.4,
    max: 2.6,
  },
};
const MEASURES = Object.keys(RULES) as Measure[];

interface Reading {
  value: number;
  day: number;
  source: JsonObject;
}

export function latestBmi(
  observations: readonly JsonObject[],
  indexDay: number,
  { history, quality }: { history: RecordHistory; quality: QualityLog },
): BmiReading | null {
  const latest: Partial<Record<Measure, Reading>> = {};
  for (const observation of observations) {
    const excluded = statusExclusion(observation, "Observation");
    if (excluded !== undefined) {
      quality.skip("Observation", excluded);
      continue;
    }
    const day = observationDay(observation, indexDay, quality);
    if (day === null) continue;
    if (day >= indexDay) {
      quality.afterIndex();
      continue;
    }
    history.see(day);
    const measure = measureOf(observation);
    if (measure === undefined) continue;
    const value = canonicalValue(observation, RULES[measure], quality);
    if (value === null) continue;
    const best = latest[measure];
    if (best === undefined || day > best.day || (day === best.day && value > best.value)) latest[measure] = { value, day, source: observation };
  }
  return combine(latest);
}

function observationDay(observation: JsonObject, indexDay: number, quality: QualityLog): number | null {
  return requireDay("Observation", evidenceDay(indexDay, observationDate(observation)), quality);
}

/** Whether the Observation is a BMI, a body weight or a body height, as this builder reads them. */
export function isBodyMeasure(observation: JsonObject): boolean {
  return measureOf(observation) !== undefined;
}

/** The BMI (kg/m2) an Observation states, as this builder reads it: null when it is not a stated
 * BMI, or when the builder skips its value (no number, an unknown unit, an implausible value:
 * counted in `quality`). For the app's trend, so that it marks only the readings the model uses. */
export function statedBmi(observation: JsonObject, quality: QualityLog): number | null {
  return measureOf(observation) === "bmi" ? canonicalValue(observation, RULES.bmi, quality) : null;
}

function measureOf(observation: JsonObject): Measure | undefined {
  for (const item of asArray(asObject(observation.code)?.coding)) {
    const coding = asObject(item);
    if (coding === undefined || codeSystemOf(coding.system) !== "loinc") continue;
    const measure = MEASURES.find((name) => RULES[name].loinc === coding.code);
    if (measure !== undefined) return measure;
  }
  return undefined;
}

function canonicalValue(observation: JsonObject, rule: MeasureRule, quality: QualityLog): number | null {
  const quantity = asObject(observation.valueQuantity);
  const value = asNumber(quantity?.value);
  if (value === undefined) {
    quality.skip("Observation", "no numeric value");
    return null;
  }
  const unit = asString(quantity?.code) ?? asString(quantity?.unit);
  const factor = unit === undefined ? rule.noUnit(value) : rule.units.get(unit.toLowerCase());
  if (factor === undefined) {
    quality.skip("Observation", "unknown unit");
    return null;
  }
  const canonical = value * factor;
  if (canonical < rule.min || canonical > rule.max) {
    quality.skip("Observation", "implausible value");
    return null;
  }
  return canonical;
}

function combine(latest: Partial<Record<Measure, Reading>>): BmiReading | null {
  const { bmi, weight, height } = latest;
  const computed =
    weight !== undefined && height !== undefined
      ? { bmi: weight.value / (height.value * height.value), day: Math.max(weight.day, height.day), sources: [weight.source, height.source] }
      : undefined;
  const plausible = computed !== undefined && computed.bmi >= RULES.bmi.min && computed.bmi <= RULES.bmi.max ? computed : undefined;
  if (bmi !== undefined && (plausible === undefined || bmi.day >= plausible.day)) {
    return { bmi: bmi.value, day: bmi.day, sources: [bmi.source] };
  }
  return plausible ?? null;
}
