/**
 * One simulated person's latent state: who they are, their exposures, chronic conditions, knee
 * OA onset and diagnosis, and the span of their record. Everything the record shows is
 * generated from this state plus independent noise.
 */
import { civilFromDay } from "../../shared/fhir-dates.ts";
import { BMI_FIRST_AGE, drawExposures, drawLifetimeOnset, type Exposures, type SimSex } from "./exposures.ts";
import { drawDelay, drawOnset } from "./onset.ts";
import { AGE_AT_END, CHRONIC, DAYS_PER_YEAR, FEMALE_SHARE, RECORD_YEARS, type ChronicKey } from "./parameters.ts";
import { Random, STREAM } from "./random.ts";

export interface ChronicCondition {
  key: ChronicKey;
  onsetDay: number;
}

export interface LatentPatient {
  /** Position in the cohort (0-based). */
  number: number;
  sex: SimSex;
  birthDay: number;
  exposures: Exposures;
  /** Chronic conditions with onset on or before the end day, by onset. */
  chronic: ChronicCondition[];
  /** Fractional day of knee OA onset; Infinity when none in life. */
  onsetDay: number;
  /** Day of the knee OA diagnosis (onset + delay); Infinity when none. May lie after the end. */
  diagnosisDay: number;
  recordStartDay: number;
  endDay: number;
}

const BMI_AT_50 = 50 - BMI_FIRST_AGE;

function drawBirthDay(rng: Random, endDay: number): number {
  const band = rng.weighted(Object.fromEntries(AGE_AT_END.map((b, i) => [String(i), b.share])) as Record<string, number>);
  const { from, to } = AGE_AT_END[Number(band)] as (typeof AGE_AT_END)[number];
  const birthDay = Math.floor(endDay - (from + rng.uniform() * (to - from)) * DAYS_PER_YEAR);
  const { month, day } = civilFromDay(birthDay);
  // A 29 February birthday has no anniversary in common years; move it to the 28th.
  return month === 2 && day === 29 ? birthDay - 1 : birthDay;
}

function drawChronic(rng: Random, sex: SimSex, e: Exposures, endDay: number): ChronicCondition[] {
  const bmi50 = e.bmiAtBirthday[BMI_AT_50] as number;
  const out: ChronicCondition[] = [];
  for (const key of Object.keys(CHRONIC) as ChronicKey[]) {
    const p = CHRONIC[key];
    const lifetime = Math.min(0.95, p[sex] * Math.max(0, 1 + (p.bmiEffect * (bmi50 - 25)) / 5));
    const onsetDay = drawLifetimeOnset(rng, e.birthDay, lifetime, p.onsetMean, p.onsetSd);
    if (onsetDay <= endDay) out.push({ key, onsetDay });
  }
  return out.sort((a, b) => a.onsetDay - b.onsetDay);
}

function drawRecordStart(rng: Random, endDay: number): number {
  const r = RECORD_YEARS;
  const years = rng.chance(r.shortShare) ? r.shortMin + rng.uniform() * (r.shortMax - r.shortMin) : r.longMin + rng.uniform() * (r.longMax - r.longMin);
  return Math.floor(endDay - years * DAYS_PER_YEAR);
}

/** The latent state of patient `number` of the cohort with this seed and end day. */
export function drawLatentPatient(seed: number, number: number, endDay: number): LatentPatient {
  const rng = new Random(seed, number, STREAM.latent);
  const sex: SimSex = rng.chance(FEMALE_SHARE) ? "female" : "male";
  const birthDay = drawBirthDay(rng, endDay);
  const exposures = drawExposures(rng, sex, birthDay);
  const onsetDay = drawOnset(rng, exposures, sex);
  const delay = drawDelay(rng);
  const chronic = drawChronic(rng, sex, exposures, endDay);
  const recordStartDay = drawRecordStart(rng, endDay);
  return {
    number,
    sex,
    birthDay,
    exposures,
    chronic,
    onsetDay,
    diagnosisDay: Number.isFinite(onsetDay) ? Math.floor(onsetDay + delay) : Infinity,
    recordStartDay,
    endDay,
  };
}
