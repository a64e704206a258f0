/**
 * The truth line of a patient: index dates, the exact 1-year risk at each and the outcome.
 *
 * Index dates (at most INDEX_DATES.max, a year apart): the last one falls a year or more before
 * the end day (uniformly 0-180 days earlier, so index dates are not all on one calendar day),
 * so every index date has a full year of follow-up inside the record. An index date needs 3
 * years of history before it, except in short records (noise), where one index date 90+ days
 * after the record start is allowed. Index dates under INDEX_DATES.minAge, or after a knee OA
 * diagnosis (diagnosis day < index), are dropped.
 */
import { completedYears, dayToIsoDate } from "../../shared/fhir-dates.ts";
import type { LatentPatient } from "./latent.ts";
import { INDEX_DATES } from "./parameters.ts";
import type { Random } from "./random.ts";
import { trueRisk1y } from "./true-risk.ts";

export interface TruthIndexDate {
  date: string;
  trueRisk1y: number;
  outcome1y: boolean;
}

export interface TruthRecord {
  patientId: string;
  sex: "female" | "male";
  birthDate: string;
  kneeOaDiagnosisDate: string | null;
  indexDates: TruthIndexDate[];
}

export function chooseIndexDays(rng: Random, p: LatentPatient): number[] {
  const count = rng.int(1, INDEX_DATES.max);
  const last = p.endDay - INDEX_DATES.followUpDays - rng.int(0, INDEX_DATES.lastJitterDays);
  const candidates: number[] = [];
  for (let k = count - 1; k >= 0; k--) candidates.push(last - k * INDEX_DATES.spacingDays);
  const withHistory = candidates.filter((d) => d - p.recordStartDay >= INDEX_DATES.historyDays);
  const kept = withHistory.length > 0 ? withHistory : candidates.filter((d) => d - p.recordStartDay >= INDEX_DATES.shortHistoryMinDays).slice(-1);
  return kept.filter((d) => completedYears(p.birthDay, d) >= INDEX_DATES.minAge && !(p.diagnosisDay < d));
}

export function truthRecord(patientId: string, p: LatentPatient, indexDays: readonly number[]): TruthRecord {
  return {
    patientId,
    sex: p.sex,
    birthDate: dayToIsoDate(p.birthDay),
    kneeOaDiagnosisDate: p.diagnosisDay <= p.endDay ? dayToIsoDate(p.diagnosisDay) : null,
    indexDates: indexDays.map((day) => ({
      date: dayToIsoDate(day),
      trueRisk1y: trueRisk1y({ sex: p.sex, exposures: p.exposures, onsetDay: p.onsetDay }, day),
      outcome1y: p.diagnosisDay >= day && p.diagnosisDay < day + INDEX_DATES.followUpDays,
    })),
  };
}
