/**
 * A deterministic, realistic-looking record of a chosen size: visits with reasons and
 * encounter diagnoses, problem-list items, prescriptions with refills, statements, dispenses,
 * referenced Medications, vital signs and some unmapped codes, spread over the 3 years before
 * an index date. Used by tests that need a full record and by bench/features.ts.
 */
import type { Coding, Resource } from "fhir/r4";
import { Random } from "../../models/cohort/random.ts";
import { dayToIsoDate, parseFhirDay } from "../../shared/fhir-dates.ts";
import {
  CODES,
  condition,
  encounter,
  icd10,
  LOINC,
  medication,
  medicationDispense,
  medicationRequest,
  medicationStatement,
  observation,
  patient,
  snomed,
} from "./fhir-builders.ts";

const DIAGNOSES: readonly Coding[] = [
  CODES.diabetes,
  CODES.hypertension,
  CODES.aclInjury,
  icd10("M25.561"),
  icd10("E66.9"),
  icd10("J06.9"),
  snomed("185349003"),
  snomed("10509002"),
];
const DRUGS: readonly Coding[] = [
  CODES.naproxenSodium220,
  CODES.ibuprofen200,
  CODES.acetaminophen325,
  CODES.oxycodoneAcetaminophen,
  CODES.celecoxib,
  { system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "314076" },
];

/**
 * About `size` resources (Patient included) dated in the 3 years before `indexDate`.
 * Each visit brings 1 Encounter and on average about 3 more resources.
 */
export function realisticRecord(size: number, indexDate: string, seed = 1): Resource[] {
  const random = new Random(seed, 0, 0);
  const rand = () => random.uniform();
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const indexDay = parseFhirDay(indexDate) ?? 0;
  const dayIn3Years = () => indexDay - 1 - Math.floor(rand() * 1090);
  const resources: Resource[] = [patient({ birthDate: "1958-03-14", gender: "female" })];
  resources.push(observation(LOINC.height, 165, "cm", dayToIsoDate(indexDay - 1000), { id: "height-1" }));
  resources.push(condition(CODES.hypertension, { id: "problem-1", category: "problem-list-item", onsetDateTime: "2012-04-01" }));
  let n = 0;
  while (resources.length < size) {
    n += 1;
    const day = dayIn3Years();
    const date = `${dayToIsoDate(day)}T${String(8 + Math.floor(rand() * 10)).padStart(2, "0")}:15:00-05:00`;
    const encounterId = `enc-${n}`;
    resources.push(encounter(date, { id: encounterId, reasons: [pick(DIAGNOSES)], diagnosisIds: [`dx-${n}`, "problem-1"] }));
    resources.push(condition(pick(DIAGNOSES), { id: `dx-${n}`, category: "encounter-diagnosis", encounterId, recordedDate: date }));
    const kind = rand();
    if (kind < 0.35) {
      resources.push(medicationRequest(pick(DRUGS), date, { id: `rx-${n}`, supplyDays: pick([28, 30, 90]), repeats: Math.floor(rand() * 3) }));
    } else if (kind < 0.5) {
      resources.push(medication(`med-${n}`, pick(DRUGS)));
      resources.push(medicationRequest(pick(DRUGS), date, { id: `rx-${n}`, medicationReference: `Medication/med-${n}`, quantity: 60, dosePerIntake: 1, intakesPerDay: 2 }));
    } else if (kind < 0.6) {
      resources.push(medicationStatement(pick(DRUGS), { start: dayToIsoDate(day), end: dayToIsoDate(day + 20) }, { id: `ms-${n}` }));
    } else if (kind < 0.7) {
      resources.push(medicationDispense(pick(DRUGS), date, { id: `md-${n}`, daysSupply: 30 }));
    }
    if (rand() < 0.4) resources.push(observation(LOINC.weight, 70 + rand() * 20, "kg", date, { id: `wt-${n}` }));
    if (rand() < 0.3) resources.push(observation(LOINC.bmi, 24 + rand() * 8, "kg/m2", date, { id: `bmi-${n}` }));
  }
  return resources.slice(0, size);
}

/** Resources of every type dated on or after the index date (including knee OA and a Condition
 * with an old onset recorded late), which must not change any feature. */
export function futureResources(indexDate: string): Resource[] {
  const indexDay = parseFhirDay(indexDate) ?? 0;
  const on = dayToIsoDate(indexDay);
  const later = dayToIsoDate(indexDay + 40);
  return [
    encounter(`${on}T00:10:00Z`, { id: "future-enc", reasons: [CODES.kneeOaSnomed, CODES.diabetes], diagnosisIds: ["future-dx"] }),
    condition(CODES.kneeOaIcd10, { id: "future-dx", onsetDateTime: later }),
    condition(CODES.diabetes, { id: "late-recorded", onsetDateTime: dayToIsoDate(indexDay - 30), recordedDate: later }),
    condition(CODES.hypertension, { id: "future-onset", onsetDateTime: `${dayToIsoDate(indexDay - 1)}T23:30:00-05:00` }),
    medicationRequest(CODES.naproxenSodium220, on, { id: "future-rx", supplyDays: 90 }),
    medicationStatement(CODES.acetaminophen325, { start: later }, { id: "future-ms", status: "active" }),
    medicationStatement(CODES.acetaminophen325, { start: dayToIsoDate(indexDay - 60) }, { id: "future-asserted", status: "active", dateAsserted: later }),
    medicationDispense(CODES.celecoxib, later, { id: "future-md", daysSupply: 30 }),
    observation(LOINC.bmi, 45, "kg/m2", on, { id: "future-bmi" }),
    observation(LOINC.weight, 150, "kg", later, { id: "future-wt" }),
  ];
}
