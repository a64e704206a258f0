/** Small FHIR population directories written to a temp dir, for the population tests. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Resource } from "fhir/r4";
import { openPopulation } from "../../population/read-population.ts";
import type { PatientRecord, ReadPopulationOptions } from "../../population/types.ts";

export function tempDir(prefix = "patella-pop-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeNdjson(dir: string, name: string, resources: readonly unknown[], extraLines: string[] = []): void {
  const lines = [...resources.map((r) => JSON.stringify(r)), ...extraLines];
  writeFileSync(join(dir, name), lines.join("\n") + "\n");
}

export function patient(id: string, extra: Record<string, unknown> = {}): Resource {
  return { resourceType: "Patient", id, gender: "female", birthDate: "1950-06-01", ...extra } as Resource;
}

export function condition(id: string, patientRef: string, code: string, onset: string): Resource {
  return {
    resourceType: "Condition",
    id,
    subject: { reference: patientRef },
    code: { coding: [{ system: "http://snomed.info/sct", code }] },
    onsetDateTime: onset,
  } as Resource;
}

export function encounter(id: string, patientRef: string, start: string): Resource {
  return { resourceType: "Encounter", id, status: "finished", subject: { reference: patientRef }, period: { start } } as Resource;
}

/** An Observation with one LOINC code and a quantity (the unit is not checked by the readers). */
export function observation(id: string, patientRef: string, loinc: string, date: string, value = 70): Resource {
  return {
    resourceType: "Observation",
    id,
    status: "final",
    subject: { reference: patientRef },
    code: { coding: [{ system: "http://loinc.org", code: loinc }] },
    effectiveDateTime: date,
    valueQuantity: { value, unit: "kg", system: "http://unitsofmeasure.org", code: "kg" },
  } as Resource;
}

export function medicationRequest(id: string, patientRef: string, medicationRef: string, authoredOn: string): Resource {
  return {
    resourceType: "MedicationRequest",
    id,
    status: "completed",
    intent: "order",
    subject: { reference: patientRef },
    medicationReference: { reference: medicationRef },
    authoredOn,
  } as Resource;
}

export function medication(id: string, rxnorm: string): Resource {
  return {
    resourceType: "Medication",
    id,
    code: { coding: [{ system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: rxnorm }] },
  } as Resource;
}

export function bundle(entries: { resource: Resource; fullUrl?: string }[]): unknown {
  return { resourceType: "Bundle", type: "transaction", entry: entries };
}

/** Ids of each record's resources as "Type/id", for order-insensitive comparisons. */
export function summarise(records: { patientId: string; resources: Resource[] }[]): Record<string, string[]> {
  return Object.fromEntries(records.map((r) => [r.patientId, r.resources.map((x) => `${x.resourceType}/${x.id}`)]));
}

/** Reads a whole population directory into memory (small test fixtures only). */
export async function readAll(dir: string, options: ReadPopulationOptions = {}) {
  const population = await openPopulation(dir, options);
  const records: PatientRecord[] = [];
  for await (const record of population.patients()) records.push(record);
  return { records, stats: population.stats };
}
