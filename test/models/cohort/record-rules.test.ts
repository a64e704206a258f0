import type { CodeableConcept, FhirResource } from "fhir/r4";
import { beforeAll, describe, expect, it } from "vitest";
import { DIAGNOSES, MEDICATIONS, VISIT_TYPES, type MedicationKey } from "../../../models/cohort/codes.ts";
import { drawLatentPatient, type LatentPatient } from "../../../models/cohort/latent.ts";
import type { PatientRecord } from "../../../models/cohort/record-builder.ts";
import { planCohort, recordOf, type CohortPlan, type TruthRecord } from "../../../models/cohort/simulate.ts";
import { parseFhirDay } from "../../../shared/fhir-dates.ts";

interface Simulated {
  latent: LatentPatient;
  record: PatientRecord;
  truth: TruthRecord;
}

const plan: CohortPlan = planCohort({ patients: 2500, seed: 77 });
let cohort: Simulated[] = [];
beforeAll(() => {
  cohort = Array.from({ length: plan.patients }, (_, n) => {
    const latent = drawLatentPatient(plan.seed, n, plan.endDay);
    return { latent, ...recordOf(plan, latent) };
  });
});

/** The clinical day of a resource (UTC), as a feature builder would read it. */
function dayOf(r: FhirResource): number {
  const value =
    r.resourceType === "Encounter" ? r.period?.start
    : r.resourceType === "Condition" ? r.onsetDateTime
    : r.resourceType === "MedicationRequest" ? r.authoredOn
    : r.resourceType === "MedicationStatement" ? (r.effectivePeriod?.start ?? r.effectiveDateTime)
    : r.resourceType === "Observation" ? r.effectiveDateTime
    : undefined;
  const day = parseFhirDay(value);
  if (day === null) throw new Error(`${r.resourceType} ${r.id} has no usable date`);
  return day;
}

const has = (concept: CodeableConcept | undefined, codes: ReadonlySet<string>): boolean => (concept?.coding ?? []).some((c) => codes.has(`${c.code}`));
const KNEE_OA_CODES = new Set([DIAGNOSES.kneeOa.snomed[0], ...DIAGNOSES.kneeOa.icd10.map(([c]) => c)]);
const KNEE_PAIN_CODES = new Set([DIAGNOSES.kneePain.snomed[0], ...DIAGNOSES.kneePain.icd10.map(([c]) => c)]);
const TREATMENT_DRUGS: MedicationKey[] = ["triamcinoloneInjection", "hyaluronicInjection", "glucosamine", "diclofenacGel", "celecoxib200"];
const TREATMENT_CODES = new Set(TREATMENT_DRUGS.flatMap((k) => Object.values(MEDICATIONS[k]).filter((v): v is string => typeof v === "string")));
const TREATMENT_VISITS = new Set([VISIT_TYPES.physiotherapy[0], VISIT_TYPES.injection[0]]);

function all(record: PatientRecord): FhirResource[] {
  return [...record.Patient, ...record.Encounter, ...record.Condition, ...record.MedicationRequest, ...record.MedicationStatement, ...record.Observation];
}
const isKneeOa = (r: FhirResource): boolean =>
  (r.resourceType === "Condition" && has(r.code, KNEE_OA_CODES)) || (r.resourceType === "Encounter" && (r.reasonCode ?? []).some((c) => has(c, KNEE_OA_CODES)));
const isTreatment = (r: FhirResource): boolean =>
  ((r.resourceType === "MedicationRequest" || r.resourceType === "MedicationStatement") && has(r.medicationCodeableConcept, TREATMENT_CODES)) ||
  (r.resourceType === "Encounter" && (r.type ?? []).some((t) => has(t, TREATMENT_VISITS)));
/** A visit for knee pain alone (a knee injury's follow-up also names knee pain). */
const isKneePainVisit = (r: FhirResource): boolean => r.resourceType === "Encounter" && r.reasonCode?.length === 1 && has(r.reasonCode[0], KNEE_PAIN_CODES);
const isProblem = (r: FhirResource): boolean => r.resourceType === "Condition" && r.category?.[0]?.coding?.[0]?.code === "problem-list-item";

describe("record rules", () => {
  it("writes nothing after the end date, and nothing before the record start except problem-list onsets", () => {
    const outside: string[] = [];
    for (const { latent, record } of cohort) {
      for (const r of all(record)) {
        if (r.resourceType === "Patient") continue;
        const day = dayOf(r);
        if (day > plan.endDay || (day < latent.recordStartDay && !isProblem(r))) outside.push(`${r.resourceType}/${r.id}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it("dates knee OA codes on or after the diagnosis, whose date the truth file gives", () => {
    let diagnosedInRecord = 0;
    for (const { latent, record, truth } of cohort) {
      const oa = all(record).filter(isKneeOa);
      if (truth.kneeOaDiagnosisDate === null) {
        expect(oa).toEqual([]);
        continue;
      }
      const dx = parseFhirDay(truth.kneeOaDiagnosisDate) as number;
      expect(dx).toBe(latent.diagnosisDay);
      if (dx >= latent.recordStartDay) {
        diagnosedInRecord++;
        expect(Math.min(...oa.map(dayOf))).toBe(dx);
      } else {
        // Diagnosed before the record: a problem-list entry, its onset maybe a partial date.
        expect(oa.filter(isProblem).every((r) => dayOf(r) <= dx)).toBe(true);
        expect(oa.filter((r) => !isProblem(r)).every((r) => dayOf(r) >= latent.recordStartDay)).toBe(true);
      }
    }
    expect(diagnosedInRecord).toBeGreaterThan(40);
  });

  it("starts treatment on or after the diagnosis and ends background knee pain visits before it", () => {
    let treated = 0;
    const early: string[] = [];
    const late: string[] = [];
    for (const { latent, record } of cohort) {
      for (const r of all(record)) {
        if (isTreatment(r)) {
          treated++;
          if (dayOf(r) < latent.diagnosisDay) early.push(`${r.resourceType}/${r.id}`);
        }
        if (isKneePainVisit(r) && dayOf(r) >= latent.diagnosisDay) late.push(`${r.resourceType}/${r.id}`);
      }
    }
    expect(early).toEqual([]);
    expect(late).toEqual([]);
    expect(treated).toBeGreaterThan(40);
  });

  it("puts prodromal knee pain visits only between onset and diagnosis", () => {
    let prodromal = 0;
    const withOnset = cohort.filter(({ latent }) => latent.onsetDay < plan.endDay && latent.diagnosisDay > latent.recordStartDay);
    expect(withOnset.length).toBeGreaterThan(40);
    for (const { latent, record } of withOnset) {
      // The same person without knee OA: same draws up to the prodrome, so the difference is it.
      const healthy = recordOf(plan, { ...latent, onsetDay: Infinity, diagnosisDay: Infinity }).record;
      const before = new Set(healthy.Encounter.filter(isKneePainVisit).map((e) => e.period?.start));
      for (const e of record.Encounter.filter(isKneePainVisit)) {
        if (before.has(e.period?.start)) continue;
        prodromal++;
        expect(dayOf(e)).toBeGreaterThanOrEqual(Math.floor(latent.onsetDay));
        expect(dayOf(e)).toBeLessThan(latent.diagnosisDay);
      }
    }
    expect(prodromal).toBeGreaterThan(40);
  });

  it("gives index dates a year of follow-up, 3 years of history for most, none after a diagnosis", () => {
    let indexDates = 0;
    let withHistory = 0;
    for (const { latent, truth } of cohort) {
      expect(truth.indexDates.length).toBeLessThanOrEqual(3);
      for (const index of truth.indexDates) {
        const day = parseFhirDay(index.date) as number;
        indexDates++;
        expect(day + 365).toBeLessThanOrEqual(plan.endDay);
        expect(day - latent.recordStartDay).toBeGreaterThanOrEqual(90);
        if (day - latent.recordStartDay >= 1095) withHistory++;
        expect(latent.diagnosisDay >= day).toBe(true);
        expect(index.outcome1y).toBe(latent.diagnosisDay < day + 365);
        expect(index.trueRisk1y).toBeGreaterThan(0);
        expect(index.trueRisk1y).toBeLessThan(1);
      }
    }
    expect(indexDates).toBeGreaterThan(1.3 * plan.patients);
    expect(withHistory / indexDates).toBeGreaterThan(0.8);
    expect(withHistory / indexDates).toBeLessThan(1);
  });

  it("writes the noise it promises: MedicationRequest and MedicationStatement sites, missing BMI, partial dates", () => {
    const requestSites = cohort.filter(({ record }) => record.MedicationRequest.length > 0).length;
    const statementSites = cohort.filter(({ record }) => record.MedicationStatement.length > 0).length;
    expect(requestSites / (requestSites + statementSites)).toBeGreaterThan(0.5);
    expect(requestSites / (requestSites + statementSites)).toBeLessThan(0.7);
    const bmiLess = cohort.filter(({ record }) => !record.Observation.some((o) => o.code.coding?.[0]?.code === "39156-5")).length;
    expect(bmiLess / cohort.length).toBeGreaterThan(0.1);
    const partial = cohort.flatMap(({ record }) => record.Condition).filter((c) => /^\d{4}(-\d{2})?$/.test(c.onsetDateTime ?? ""));
    expect(partial.length).toBeGreaterThan(50);
    const supplies = new Set(cohort.flatMap(({ record }) => record.MedicationRequest).map((m) => m.dispenseRequest?.expectedSupplyDuration?.value));
    expect([...supplies].sort()).toEqual([1, 28, 30, 90].sort());
  });
});
