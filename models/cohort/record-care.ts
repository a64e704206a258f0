/**
 * The general-practice part of a record: the Patient, routine and chronic-care visits,
 * problem-list entries, chronic prescriptions, acute episodes, local-only visits, and the
 * measurements (BMI, weight, height, smoking status) taken at visits.
 */
import { dayToIsoDate } from "../../shared/fhir-dates.ts";
import {
  CHRONIC_DIAGNOSIS,
  CHRONIC_DRUGS,
  LOCAL_VISIT_REASONS,
  ORAL_NSAIDS,
  PARACETAMOL,
  RESPIRATORY_INFECTIONS,
  SMOKING_STATUS,
  SYSTEMS,
  VISIT_TYPES,
  type DiagnosisKey,
  type MedicationKey,
} from "./codes.ts";
import { acuteSupply, intBetween, poissonDays } from "./event-times.ts";
import { bmiOnDay } from "./exposures.ts";
import type { LatentPatient } from "./latent.ts";
import { ageOnDay } from "./onset.ts";
import {
  ACUTE_EPISODES,
  BMI_OBESE,
  BMI_OVERWEIGHT,
  CHRONIC,
  NOISE,
  OA_EXPOSURE_VISITS_PER_YEAR,
  PRESCRIBING,
  RECORD_DETAIL,
  ROUTINE_VISITS,
} from "./parameters.ts";
import type { Random } from "./random.ts";
import type { RecordBuilder, Visit } from "./record-builder.ts";

// Enough combinations (40 x 24 per sex) that a demo list of 50 rarely shows one name twice.
const FAMILY_NAMES = [
  "Smith", "Garcia", "Nguyen", "Müller", "Okafor", "Rossi", "Kowalski", "Tanaka", "Haddad", "Jensen",
  "Brown", "Lopez", "Tran", "Schmidt", "Adeyemi", "Bianchi", "Nowak", "Sato", "Khoury", "Larsen",
  "Johnson", "Martinez", "Pham", "Fischer", "Mensah", "Romano", "Wisniewski", "Suzuki", "Nasser", "Nielsen",
  "Williams", "Hernandez", "Le", "Weber", "Owusu", "Ricci", "Lewandowski", "Kobayashi", "Saleh", "Andersen",
];
const GIVEN_NAMES = {
  female: [
    "Ana", "Mary", "Leila", "Ingrid", "Aiko", "Grace", "Sofia", "Fatima", "Chloe", "Amara", "Mei", "Olga",
    "Elena", "Priya", "Hannah", "Zainab", "Lucia", "Yuki", "Ruth", "Nadia", "Clara", "Ama", "Linh", "Eva",
  ],
  male: [
    "John", "Luis", "Tomasz", "Kwame", "Hiro", "Erik", "Omar", "Pedro", "Samuel", "Ivan", "Ravi", "Daniel",
    "Kofi", "Minh", "Lars", "Yusuf", "Marco", "Kenji", "Peter", "Ahmed", "Jonas", "Diego", "Felix", "Arjun",
  ],
};

export function writePatient(b: RecordBuilder, p: LatentPatient, rng: Random): void {
  b.patient({
    resourceType: "Patient",
    id: b.patientId,
    identifier: [{ system: SYSTEMS.mrn, value: `MRN${String(p.number).padStart(8, "0")}` }],
    name: [{ family: rng.pick(FAMILY_NAMES), given: [rng.pick(GIVEN_NAMES[p.sex])] }],
    gender: p.sex,
    birthDate: dayToIsoDate(p.birthDay),
  });
}

/** Present chronic diagnoses (including hand and hip OA) on a day. */
function presentDiagnoses(p: LatentPatient, day: number): DiagnosisKey[] {
  const keys: DiagnosisKey[] = p.chronic.filter((c) => c.onsetDay <= day).map((c) => CHRONIC_DIAGNOSIS[c.key]);
  if (p.exposures.handOaDay <= day) keys.push("handOa");
  if (p.exposures.hipOaDay <= day) keys.push("hipOa");
  return keys;
}

/** Routine visits, more often with age; each reviews up to two present conditions. */
function routineVisits(b: RecordBuilder, p: LatentPatient, rng: Random, measurable: Visit[]): void {
  for (let from = p.recordStartDay; from <= p.endDay; from += 365) {
    const age = ageOnDay(p.exposures, from);
    const rate = ROUTINE_VISITS.basePerYear + (ROUTINE_VISITS.perDecadeOver40 * Math.max(0, age - 40)) / 10;
    for (const day of poissonDays(rng, from, Math.min(from + 365, p.endDay + 1), rate)) {
      const present = presentDiagnoses(p, day);
      const reviewed = present.filter(() => rng.chance(RECORD_DETAIL.reviewedAtRoutineVisit)).slice(0, RECORD_DETAIL.maxReviewed);
      const visit = b.visit(day, VISIT_TYPES.checkUp, reviewed);
      for (const key of reviewed) b.encounterDiagnosis(visit, key);
      measurable.push(visit);
    }
  }
}

/** Yearly renewals of a chronic drug from `start` until it stops, within the record. */
function chronicDrug(b: RecordBuilder, p: LatentPatient, rng: Random, key: DiagnosisKey, drugs: readonly MedicationKey[], start: number, measurable: Visit[]): void {
  const drug = rng.pick(drugs);
  for (let day = start; day <= p.endDay; day += 365) {
    if (day >= p.recordStartDay) {
      const visit = b.visit(day, VISIT_TYPES.followUp, [key]);
      b.encounterDiagnosis(visit, key);
      b.prescribe({ day, medication: drug, supplyDays: PRESCRIBING.chronicSupplyDays, refills: PRESCRIBING.chronicRefills, visit });
      measurable.push(visit);
    }
    if (rng.chance(PRESCRIBING.chronicStopPerYear)) break;
  }
}

/** Problem-list entries, follow-up visits and drugs of chronic conditions and of hand/hip OA. */
function chronicCare(b: RecordBuilder, p: LatentPatient, rng: Random, measurable: Visit[]): void {
  const conditions: { key: DiagnosisKey; onsetDay: number; visitsPerYear: number; drugChance: number; chronicKey?: keyof typeof CHRONIC }[] = p.chronic.map((c) => ({
    key: CHRONIC_DIAGNOSIS[c.key],
    onsetDay: c.onsetDay,
    visitsPerYear: CHRONIC[c.key].visitsPerYear,
    drugChance: CHRONIC[c.key].drug,
    chronicKey: c.key,
  }));
  for (const [key, onsetDay] of [["handOa", p.exposures.handOaDay], ["hipOa", p.exposures.hipOaDay]] as const) {
    if (onsetDay <= p.endDay) conditions.push({ key, onsetDay, visitsPerYear: OA_EXPOSURE_VISITS_PER_YEAR, drugChance: 0 });
  }
  for (const c of conditions) {
    const firstSeen = Math.max(c.onsetDay, p.recordStartDay) + intBetween(rng, RECORD_DETAIL.problemListDelayDays);
    if (firstSeen > p.endDay) continue;
    b.problem(c.key, c.onsetDay, firstSeen, p.recordStartDay);
    const episodic = c.chronicKey === "chronicBackPain";
    for (const day of poissonDays(rng, firstSeen, p.endDay + 1, c.visitsPerYear)) {
      const visit = b.visit(day, VISIT_TYPES.followUp, [c.key]);
      b.encounterDiagnosis(visit, c.key);
      measurable.push(visit);
      if (episodic && rng.chance(c.drugChance)) {
        b.prescribe({ day, medication: rng.pick(rng.chance(RECORD_DETAIL.backPainNsaidShare) ? ORAL_NSAIDS : PARACETAMOL), ...acuteSupply(rng), visit });
      }
    }
    const drugs = c.chronicKey === undefined ? undefined : CHRONIC_DRUGS[c.chronicKey];
    if (!episodic && drugs && rng.chance(c.drugChance)) chronicDrug(b, p, rng, c.key, drugs, Math.floor(c.onsetDay) + intBetween(rng, RECORD_DETAIL.firstPrescriptionDelayDays), measurable);
  }
}

/** Acute episodes: respiratory infections, conjunctivitis, back pain; one visit each. */
function acuteCare(b: RecordBuilder, p: LatentPatient, rng: Random): void {
  const end = p.endDay + 1;
  for (const day of poissonDays(rng, p.recordStartDay, end, ACUTE_EPISODES.respiratoryInfection.perYear)) {
    const key = rng.pick(RESPIRATORY_INFECTIONS);
    const visit = b.visit(day, VISIT_TYPES.symptom, [key]);
    b.encounterDiagnosis(visit, key);
    if (rng.chance(ACUTE_EPISODES.respiratoryInfection.prednisoneChance)) b.prescribe({ day, medication: "prednisone20", supplyDays: 28, refills: 0, visit });
  }
  for (const day of poissonDays(rng, p.recordStartDay, end, ACUTE_EPISODES.conjunctivitis.perYear)) {
    b.encounterDiagnosis(b.visit(day, VISIT_TYPES.symptom, ["conjunctivitis"]), "conjunctivitis");
  }
  const back = ACUTE_EPISODES.backPainEpisode;
  for (const day of poissonDays(rng, p.recordStartDay, end, back.perYear)) {
    const visit = b.visit(day, VISIT_TYPES.symptom, ["chronicBackPain"]);
    b.encounterDiagnosis(visit, "chronicBackPain");
    if (rng.chance(back.nsaidChance)) b.prescribe({ day, medication: rng.pick(ORAL_NSAIDS), ...acuteSupply(rng), visit });
    if (rng.chance(back.paracetamolChance)) b.prescribe({ day, medication: rng.pick(PARACETAMOL), ...acuteSupply(rng), visit });
    if (rng.chance(back.tramadolChance)) b.prescribe({ day, medication: "tramadol50", supplyDays: 28, refills: 0, visit });
  }
  for (const day of poissonDays(rng, p.recordStartDay, end, NOISE.localOnlyVisitsPerYear)) {
    const [code, display] = rng.pick(LOCAL_VISIT_REASONS);
    b.visit(day, VISIT_TYPES.followUp, [{ coding: [{ system: SYSTEMS.localVisitReason, code, display }], text: display }]);
  }
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** BMI (and sometimes weight and height), smoking status, and obesity diagnoses at visits. */
function measurements(b: RecordBuilder, p: LatentPatient, rng: Random, visits: readonly Visit[]): void {
  const measured = !rng.chance(NOISE.noBmiShare);
  let obesityListed = false;
  for (const visit of visits) {
    if (rng.chance(RECORD_DETAIL.smokingStatusPerVisit)) {
      const status = p.exposures.smokingStartDay > visit.day ? "never" : p.exposures.smokingQuitDay <= visit.day ? "former" : "current";
      const [code, display] = SMOKING_STATUS[status];
      b.observation(visit, "smoking", { coding: [{ system: SYSTEMS.snomed, code, display }], text: display });
    }
    if (!measured || !rng.chance(NOISE.bmiPerVisit)) continue;
    const bmi = bmiOnDay(p.exposures, visit.day) + NOISE.bmiMeasurementSd * rng.normal();
    const heightM = p.exposures.heightCm / 100;
    const weightHeightOnly = rng.chance(NOISE.weightHeightOnly);
    if (!weightHeightOnly) b.observation(visit, "bmi", { value: round1(bmi), unit: "kg/m2", system: SYSTEMS.ucum, code: "kg/m2" });
    if (weightHeightOnly || rng.chance(NOISE.weightHeightWithBmi)) {
      b.observation(visit, "weight", { value: round1(bmi * heightM * heightM), unit: "kg", system: SYSTEMS.ucum, code: "kg" });
      b.observation(visit, "height", { value: round1(p.exposures.heightCm), unit: "cm", system: SYSTEMS.ucum, code: "cm" });
    }
    if (bmi >= BMI_OVERWEIGHT && rng.chance(RECORD_DETAIL.weightCodedAtMeasurement)) {
      const key: DiagnosisKey = bmi >= 40 ? "severeObesity" : bmi >= BMI_OBESE ? "obesity" : "overweight";
      b.encounterDiagnosis(visit, key);
      if (!obesityListed && key !== "overweight") b.problem(key, visit.day, visit.day, p.recordStartDay);
      obesityListed ||= key !== "overweight";
    }
  }
}

/** Everything but the knee. */
export function writeGeneralCare(b: RecordBuilder, p: LatentPatient, rng: Random): void {
  const measurable: Visit[] = [];
  routineVisits(b, p, rng, measurable);
  chronicCare(b, p, rng, measurable);
  acuteCare(b, p, rng);
  measurements(b, p, rng, measurable);
}
