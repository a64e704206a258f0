import type { CodeableConcept, FhirResource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { DIAGNOSES, LOCAL_VISIT_REASONS, LOINC, MEDICATIONS, SMOKING_STATUS, SYSTEMS, VISIT_TYPES, type MedicationCode } from "../../../models/cohort/codes.ts";
import { simulateCohort } from "../../../models/cohort/simulate.ts";
import { matchDiagnosis, matchMedication } from "../../../shared/valuesets.ts";

const one = (system: string, code: string): CodeableConcept => ({ coding: [{ system, code }] });

describe("codes the simulator writes", () => {
  it("every diagnosis code falls in the intended value-set group, and only knee OA codes count as the outcome", () => {
    for (const [key, d] of Object.entries(DIAGNOSES)) {
      const codings: [string, string][] = [[SYSTEMS.snomed, d.snomed[0]], ...d.icd10.map(([code]): [string, string] => [SYSTEMS.icd10cm, code])];
      for (const [system, code] of codings) {
        const match = matchDiagnosis(one(system, code));
        const where = `${key} ${system}|${code}`;
        if (d.group === "knee_oa") expect(match.kneeOa, where).toBe(true);
        else {
          expect(match.kneeOa, where).toBe(false);
          expect(match.ids, where).toContain(d.group);
        }
      }
    }
  });

  it("every medication code falls in exactly the intended class", () => {
    for (const [key, m] of Object.entries(MEDICATIONS) as [string, MedicationCode][]) {
      const codings: [string, string | undefined][] = [[SYSTEMS.rxnorm, m.scd], [SYSTEMS.rxnorm, m.ingredient], [SYSTEMS.atc, m.atc]];
      for (const [system, code] of codings) {
        if (code === undefined) continue;
        expect(matchMedication(one(system, code)).ids, `${key} ${system}|${code}`).toEqual([m.medicationClass]);
      }
    }
  });

  it("a simulated cohort writes no code outside these tables except the local noise codes", () => {
    const known = new Set<string>();
    for (const d of Object.values(DIAGNOSES)) {
      known.add(`${SYSTEMS.snomed}|${d.snomed[0]}`);
      for (const [code] of d.icd10) known.add(`${SYSTEMS.icd10cm}|${code}`);
    }
    for (const m of Object.values(MEDICATIONS) as MedicationCode[]) {
      if (m.scd) known.add(`${SYSTEMS.rxnorm}|${m.scd}`);
      if (m.ingredient) known.add(`${SYSTEMS.rxnorm}|${m.ingredient}`);
      if (m.atc) known.add(`${SYSTEMS.atc}|${m.atc}`);
    }
    for (const [code] of Object.values(VISIT_TYPES)) known.add(`${SYSTEMS.snomed}|${code}`);
    for (const [code] of Object.values(LOINC)) known.add(`${SYSTEMS.loinc}|${code}`);
    for (const [code] of Object.values(SMOKING_STATUS)) known.add(`${SYSTEMS.snomed}|${code}`);
    for (const [code] of LOCAL_VISIT_REASONS) known.add(`${SYSTEMS.localVisitReason}|${code}`);

    const seen = new Map<string, number>();
    const clinical = (concept: CodeableConcept | undefined): void => {
      for (const c of concept?.coding ?? []) {
        const key = c.system === SYSTEMS.localDiagnosis ? `${c.system}|*` : `${c.system}|${c.code}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
    };
    for (const { resources } of simulateCohort({ patients: 400, seed: 21 })) {
      for (const r of resources as FhirResource[]) {
        if (r.resourceType === "Condition") clinical(r.code);
        if (r.resourceType === "Encounter") for (const c of [...(r.reasonCode ?? []), ...(r.type ?? [])]) clinical(c);
        if (r.resourceType === "MedicationRequest" || r.resourceType === "MedicationStatement") clinical(r.medicationCodeableConcept);
        if (r.resourceType === "Observation") {
          clinical(r.code);
          clinical(r.valueCodeableConcept);
        }
      }
    }
    const unknown = [...seen.keys()].filter((k) => !known.has(k) && k !== `${SYSTEMS.localDiagnosis}|*`);
    expect(unknown).toEqual([]);
    // The noise is there: local codes and both code systems.
    expect(seen.get(`${SYSTEMS.localDiagnosis}|*`)).toBeGreaterThan(0);
    expect(seen.get(`${SYSTEMS.snomed}|239873007`)).toBeGreaterThan(0);
    expect([...seen.keys()].some((k) => k.startsWith(`${SYSTEMS.icd10cm}|M17.`))).toBe(true);
  });
});
