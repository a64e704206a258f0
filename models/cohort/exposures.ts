/**
 * The latent exposures that drive knee OA onset: BMI path, knee injuries, hand and hip OA,
 * smoking. They are drawn for a whole life (to MAX_AGE) so that the hazard at any age is known.
 */
import { civilFromDay, dayFromCivil } from "../../shared/fhir-dates.ts";
import {
  BMI,
  BMI_OBESE,
  BMI_OVERWEIGHT,
  DAYS_PER_YEAR,
  EXPOSURE_LAG_YEARS,
  HAND_OA,
  HAZARD_RATIOS,
  HEIGHT_CM,
  HIP_OA,
  KNEE_INJURY_KINDS,
  KNEE_INJURY_RATE,
  SMOKING,
} from "./parameters.ts";
import type { Random } from "./random.ts";

export type SimSex = "female" | "male";

// Local copies of the parameters used in hot loops (module-namespace reads cost more there).
const YEAR = DAYS_PER_YEAR;
const LAG = EXPOSURE_LAG_YEARS;
const OVERWEIGHT = BMI_OVERWEIGHT;
const OBESE = BMI_OBESE;
const BMI_MODEL = BMI;

/** Lives are simulated to this age; nobody in a cohort is older at the end date. */
export const MAX_AGE = 105;
/** The BMI path starts at this age. */
export const BMI_FIRST_AGE = 18;

export type KneeInjuryKind = keyof typeof KNEE_INJURY_KINDS;

export interface KneeInjury {
  day: number;
  kind: KneeInjuryKind;
  side: "right" | "left";
}

export interface Exposures {
  birthDay: number;
  /** Day number of the birthday at each age 0..MAX_AGE+1. */
  birthdays: Int32Array;
  heightCm: number;
  /** True BMI on each birthday from BMI_FIRST_AGE to MAX_AGE+1 (index age - BMI_FIRST_AGE). */
  bmiAtBirthday: Float64Array;
  /** Sorted by day (bands are drawn in age order). */
  injuries: KneeInjury[];
  /** Onset days of hand and hip OA; Infinity when never. */
  handOaDay: number;
  hipOaDay: number;
  /** Smoking from start (inclusive) to quit (exclusive); Infinity when never / never quits. */
  smokingStartDay: number;
  smokingQuitDay: number;
  /** hazardMultiplier for every year of age 0..MAX_AGE, computed once (the hot path). */
  multipliers: Float64Array;
}

/** Day number of the birthday at every age; the caller never passes a 29 February birth. */
function birthdaysOf(birthDay: number): Int32Array {
  const { year, month, day } = civilFromDay(birthDay);
  const days = new Int32Array(MAX_AGE + 2);
  for (let age = 0; age < days.length; age++) days[age] = dayFromCivil(year + age, month, day);
  return days;
}

function ageToDay(birthDay: number, ageYears: number): number {
  return Math.floor(birthDay + ageYears * YEAR);
}

function drawBmiPath(rng: Random, sex: SimSex): Float64Array {
  const path = new Float64Array(MAX_AGE + 2 - BMI_FIRST_AGE);
  const b = BMI_MODEL;
  const slope = b.slopeMean + b.slopeSd * rng.normal();
  let bmi = b.medianAt18[sex] * Math.exp(b.sdLogAt18 * rng.normal());
  for (let i = 0; i < path.length; i++) {
    path[i] = bmi;
    const age = BMI_FIRST_AGE + i;
    const trend = age < 55 ? slope : age < 70 ? slope * b.slopeFactor55to70 : b.declineAfter70;
    bmi = Math.min(b.max, Math.max(b.min, bmi + trend + b.yearlyStepSd * rng.normal()));
  }
  return path;
}

/** Knee injuries as a Poisson process whose rate changes by age band. */
function drawInjuries(rng: Random, birthDay: number): KneeInjury[] {
  const injuries: KneeInjury[] = [];
  for (const band of KNEE_INJURY_RATE) {
    let age = band.from + rng.exponential() / band.perYear;
    while (age < Math.min(band.to, MAX_AGE)) {
      injuries.push({ day: ageToDay(birthDay, age), kind: rng.weighted(KNEE_INJURY_KINDS), side: rng.chance(0.5) ? "right" : "left" });
      age += rng.exponential() / band.perYear;
    }
  }
  return injuries;
}

/** Onset day of a condition with a lifetime chance and a normal onset age, or Infinity. */
export function drawLifetimeOnset(rng: Random, birthDay: number, lifetime: number, onsetMean: number, onsetSd: number): number {
  const happens = rng.chance(lifetime);
  const age = Math.max(BMI_FIRST_AGE, onsetMean + onsetSd * rng.normal());
  return happens ? ageToDay(birthDay, age) : Infinity;
}

/** Draws every exposure of one life, always consuming the same number of draws per category. */
export function drawExposures(rng: Random, sex: SimSex, birthDay: number): Exposures {
  const height = HEIGHT_CM[sex];
  const heightCm = height.mean + height.sd * rng.normal();
  const bmiAtBirthday = drawBmiPath(rng, sex);
  const injuries = drawInjuries(rng, birthDay);
  const handOaDay = drawLifetimeOnset(rng, birthDay, HAND_OA.lifetime[sex], HAND_OA.onsetMean, HAND_OA.onsetSd);
  const hipOaDay = drawLifetimeOnset(rng, birthDay, HIP_OA.lifetime[sex], HIP_OA.onsetMean, HIP_OA.onsetSd);
  const smokes = rng.chance(SMOKING.everShare[sex]);
  const quits = rng.chance(SMOKING.quitShare);
  const quitAge = Math.max(SMOKING.startAge + 1, SMOKING.quitAgeMean + SMOKING.quitAgeSd * rng.normal());
  const exposures: Exposures = {
    birthDay,
    birthdays: birthdaysOf(birthDay),
    heightCm,
    bmiAtBirthday,
    injuries,
    handOaDay,
    hipOaDay,
    smokingStartDay: smokes ? ageToDay(birthDay, SMOKING.startAge) : Infinity,
    smokingQuitDay: smokes && quits ? ageToDay(birthDay, quitAge) : Infinity,
    multipliers: new Float64Array(MAX_AGE + 1),
  };
  for (let age = 0; age <= MAX_AGE; age++) exposures.multipliers[age] = hazardMultiplier(exposures, age);
  return exposures;
}

/** True BMI on a day: linear between birthdays. */
export function bmiOnDay(e: Exposures, day: number): number {
  const path = e.bmiAtBirthday;
  let age = BMI_FIRST_AGE;
  while (age < MAX_AGE && (e.birthdays[age + 1] as number) <= day) age++;
  const i = Math.max(0, age - BMI_FIRST_AGE);
  const from = e.birthdays[age] as number;
  const to = e.birthdays[age + 1] as number;
  const a = path[i] as number;
  const b = (path[i + 1] ?? a) as number;
  const f = day <= from ? 0 : Math.min(1, (day - from) / (to - from));
  return a + (b - a) * f;
}

/** The exposures that act on the hazard in a year of age, as held on the lagged birthday. */
export interface HazardExposures {
  overweight: boolean;
  obese: boolean;
  kneeInjury: boolean;
  handOa: boolean;
  hipOa: boolean;
  smoker: boolean;
}

export function hazardExposures(e: Exposures, age: number): HazardExposures {
  const assessedAge = Math.max(BMI_FIRST_AGE, age - LAG);
  const assessedDay = e.birthdays[assessedAge] as number;
  const bmi = e.bmiAtBirthday[assessedAge - BMI_FIRST_AGE] as number;
  const firstInjury = e.injuries[0]?.day ?? Infinity;
  return {
    overweight: bmi >= OVERWEIGHT && bmi < OBESE,
    obese: bmi >= OBESE,
    kneeInjury: firstInjury < assessedDay,
    handOa: e.handOaDay < assessedDay,
    hipOa: e.hipOaDay < assessedDay,
    smoker: e.smokingStartDay < assessedDay && assessedDay < e.smokingQuitDay,
  };
}

const HR = { ...HAZARD_RATIOS };

/** The product of the published hazard ratios that apply in the year of age `age`. */
function hazardMultiplier(e: Exposures, age: number): number {
  const x = hazardExposures(e, age);
  let m = 1;
  if (x.overweight) m *= HR.overweight;
  if (x.obese) m *= HR.obese;
  if (x.kneeInjury) m *= age < 50 ? HR.kneeInjuryUnder50 : HR.kneeInjuryFrom50;
  if (x.handOa) m *= HR.handOa;
  if (x.hipOa) m *= HR.hipOa;
  if (x.smoker) m *= HR.smoking;
  return m;
}
