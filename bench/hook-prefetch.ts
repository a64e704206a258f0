/**
 * The hook benches' patient: the simulated patient without knee OA who has the most resources
 * (275 resources, a 199 KiB request), as the EHR would prefetch it.
 */
import type { Resource } from "fhir/r4";

const BODY_MEASURES = new Set(["39156-5", "29463-7", "8302-2"]);

/** `count`: the prefetch's resources (the Patient and every Bundle entry). */
export async function realisticPrefetch(patients: number): Promise<{ prefetch: Record<string, unknown>; patientId: string; count: number }> {
  const { simulateCohort } = await import("../models/cohort/simulate.ts");
  let best: Resource[] | undefined;
  for (const p of simulateCohort({ patients, seed: 20261127, endDate: "2025-12-31" })) {
    if (p.truth.kneeOaDiagnosisDate !== null) continue;
    if (!best || p.resources.length > best.length) best = p.resources;
  }
  if (!best) throw new Error("no eligible patient in the simulated cohort");
  const patient = best.find((r) => r.resourceType === "Patient")!;
  const of = (type: string, keep: (r: Resource) => boolean = () => true) => ({
    resourceType: "Bundle",
    type: "searchset",
    entry: best!.filter((r) => r.resourceType === type && keep(r)).map((resource) => ({ resource })),
  });
  const isBodyMeasure = (r: Resource) =>
    (r as { code?: { coding?: { code?: string }[] } }).code?.coding?.some((c) => BODY_MEASURES.has(c.code ?? "")) ?? false;
  const prefetch = {
    patient,
    conditions: of("Condition"),
    encounters: of("Encounter"),
    medicationRequests: of("MedicationRequest"),
    medicationStatements: of("MedicationStatement"),
    bodyMeasures: of("Observation", isBodyMeasure),
  };
  const count = Object.values(prefetch).reduce((n, v) => n + ("entry" in v ? v.entry.length : 1), 0);
  return { prefetch, patientId: patient.id!, count };
}
