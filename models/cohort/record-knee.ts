/**
 * The knee part of a record. Rules a reader can rely on (tested in
 * test/models/cohort/leakage.test.ts):
 * - knee OA codes appear only on or after the diagnosis day;
 * - prodromal knee pain visits (and their analgesics) fall in [onset, diagnosis);
 * - background knee pain visits (no OA) fall before the diagnosis: after it, knee visits are OA
 *   visits (a knee injury's follow-up may still name knee pain);
 * - treatment (OA follow-ups, injections, physiotherapy, topical NSAIDs, celecoxib,
 *   glucosamine) starts on or after the diagnosis day.
 */
import { OA_NSAIDS, ORAL_NSAIDS, PARACETAMOL, VISIT_TYPES, type DiagnosisKey } from "./codes.ts";
import { acuteSupply, intBetween, poissonDays, thinnedPoissonDays } from "./event-times.ts";
import { bmiOnDay, type KneeInjuryKind } from "./exposures.ts";
import type { LatentPatient } from "./latent.ts";
import { ageOnDay } from "./onset.ts";
import { BACKGROUND_KNEE_PAIN, BMI_OBESE, NOISE, PRODROME, RECORD_DETAIL, TREATMENT } from "./parameters.ts";
import type { Random } from "./random.ts";
import type { RecordBuilder, Visit } from "./record-builder.ts";

const INJURY_DIAGNOSIS: Record<KneeInjuryKind, DiagnosisKey> = { meniscus: "meniscusTear", acl: "aclInjury", mcl: "mclInjury" };

function painScore(b: RecordBuilder, visit: Visit, score: number): void {
  b.observation(visit, "pain", { value: score, unit: "{score}", system: "http://unitsofmeasure.org", code: "{score}" });
}

function kneeInjuries(b: RecordBuilder, p: LatentPatient, rng: Random): void {
  for (const injury of p.exposures.injuries) {
    if (injury.day > p.endDay) break;
    const key = INJURY_DIAGNOSIS[injury.kind];
    if (injury.day < p.recordStartDay) {
      if (rng.chance(NOISE.pastInjuryOnProblemList)) {
        b.problem(injury.kind === "meniscus" ? "oldMeniscusTear" : key, injury.day, p.recordStartDay + intBetween(rng, RECORD_DETAIL.problemListDelayDays), p.recordStartDay);
      }
      continue;
    }
    const visit = b.visit(injury.day, VISIT_TYPES.symptom, [key]);
    b.encounterDiagnosis(visit, key);
    b.problem(key, injury.day, injury.day, p.recordStartDay, injury.day + intBetween(rng, RECORD_DETAIL.injuryResolvedDays));
    if (rng.chance(RECORD_DETAIL.injuryNsaidChance)) b.prescribe({ day: injury.day, medication: rng.pick(ORAL_NSAIDS), ...acuteSupply(rng), visit });
    const followUp = injury.day + intBetween(rng, RECORD_DETAIL.injuryFollowUpDays);
    if (followUp <= p.endDay) {
      const again = b.visit(followUp, VISIT_TYPES.followUp, [key, "kneePain"]);
      b.encounterDiagnosis(again, key);
      b.encounterDiagnosis(again, "kneePain");
    }
  }
}

/** A knee pain visit with maybe a pain score and analgesics. */
function kneePainVisit(b: RecordBuilder, rng: Random, day: number, scoreRange: readonly [number, number], nsaid: number, paracetamol: number): void {
  const visit = b.visit(day, VISIT_TYPES.symptom, ["kneePain"]);
  b.encounterDiagnosis(visit, "kneePain");
  if (rng.chance(RECORD_DETAIL.painScoreChance)) painScore(b, visit, intBetween(rng, scoreRange));
  if (rng.chance(nsaid)) b.prescribe({ day, medication: rng.pick(ORAL_NSAIDS), ...acuteSupply(rng), visit });
  if (rng.chance(paracetamol)) b.prescribe({ day, medication: rng.pick(PARACETAMOL), ...acuteSupply(rng), visit });
}

function backgroundKneePain(b: RecordBuilder, p: LatentPatient, rng: Random): void {
  const k = BACKGROUND_KNEE_PAIN;
  const rateAt = (day: number): number => {
    const decades = Math.max(0, ageOnDay(p.exposures, day) - 40) / 10;
    const obese = bmiOnDay(p.exposures, day) >= BMI_OBESE ? k.obeseFactor : 1;
    return (k.basePerYear + k.perDecadeOver40 * decades) * obese;
  };
  const maxRate = (k.basePerYear + k.perDecadeOver40 * 7) * k.obeseFactor;
  // Drawn over the whole record and cut at the diagnosis, so that the visits before it do not
  // depend on when it happens.
  for (const day of thinnedPoissonDays(rng, p.recordStartDay, p.endDay + 1, maxRate, rateAt)) {
    if (day >= p.diagnosisDay) break;
    kneePainVisit(b, rng, day, RECORD_DETAIL.painScores.background, RECORD_DETAIL.backgroundKneePainNsaid, RECORD_DETAIL.backgroundKneePainParacetamol);
  }
}

function prodrome(b: RecordBuilder, p: LatentPatient, rng: Random): void {
  const from = Math.max(p.recordStartDay, Math.ceil(p.onsetDay));
  const to = Math.min(p.endDay + 1, p.diagnosisDay);
  const rateAt = (day: number): number => PRODROME.maxVisitsPerYear * Math.min(1, (day - p.onsetDay) / PRODROME.rampDays);
  for (const day of thinnedPoissonDays(rng, from, to, PRODROME.maxVisitsPerYear, rateAt)) {
    kneePainVisit(b, rng, day, RECORD_DETAIL.painScores.prodrome, PRODROME.nsaidChance, PRODROME.paracetamolChance);
    if (rng.chance(PRODROME.otcChance)) b.prescribe({ day, medication: "acetaminophen325", supplyDays: 30, refills: 0 });
  }
}

function diagnosisAndTreatment(b: RecordBuilder, p: LatentPatient, rng: Random): void {
  const dx = p.diagnosisDay;
  if (dx > p.endDay) return;
  if (dx >= p.recordStartDay) {
    const visit = b.visit(dx, VISIT_TYPES.symptom, ["kneeOa"]);
    b.encounterDiagnosis(visit, "kneeOa");
    b.problem("kneeOa", dx, dx, p.recordStartDay);
    if (rng.chance(RECORD_DETAIL.painScoreChance)) painScore(b, visit, intBetween(rng, RECORD_DETAIL.painScores.prodrome));
  } else {
    b.problem("kneeOa", dx, p.recordStartDay + intBetween(rng, RECORD_DETAIL.problemListDelayDays), p.recordStartDay);
  }
  const from = Math.max(dx, p.recordStartDay);
  const t = TREATMENT;
  for (const day of [from, ...poissonDays(rng, from + 1, p.endDay + 1, t.followUpVisitsPerYear)]) {
    const visit = day === dx ? undefined : b.visit(day, VISIT_TYPES.followUp, ["kneeOa"]);
    if (visit) b.encounterDiagnosis(visit, "kneeOa");
    if (rng.chance(t.nsaidChance)) b.prescribe({ day, medication: rng.pick(OA_NSAIDS), supplyDays: rng.pick(t.nsaidSupplyDays), refills: rng.int(0, t.nsaidMaxRefills), ...(visit ? { visit } : {}) });
    if (rng.chance(t.topicalNsaidChance)) b.prescribe({ day, medication: "diclofenacGel", ...acuteSupply(rng) });
    if (rng.chance(t.injectionChance)) {
      const injectionDay = Math.min(p.endDay, day + intBetween(rng, t.injectionDelayDays));
      const injection = b.visit(injectionDay, VISIT_TYPES.injection, ["kneeOa"]);
      b.prescribe({ day: injectionDay, medication: rng.chance(t.corticosteroidInjectionShare) ? "triamcinoloneInjection" : "hyaluronicInjection", supplyDays: 1, refills: 0, visit: injection });
    }
  }
  if (rng.chance(t.physiotherapyChance)) {
    const start = from + intBetween(rng, t.physiotherapyStartDays);
    for (let s = 0; s < t.physiotherapySessions && start + 7 * s <= p.endDay; s++) b.visit(start + 7 * s, VISIT_TYPES.physiotherapy, ["kneeOa"]);
  }
  if (rng.chance(t.glucosamineChance)) b.prescribe({ day: from, medication: "glucosamine", supplyDays: 90, refills: 3 });
}

export function writeKnee(b: RecordBuilder, p: LatentPatient, rng: Random): void {
  kneeInjuries(b, p, rng);
  backgroundKneePain(b, p, rng);
  prodrome(b, p, rng);
  diagnosisAndTreatment(b, p, rng);
}
