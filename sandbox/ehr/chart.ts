/**
 * What the EHR page shows: the patient list and a compact chart, read from the EHR's own data.
 * Demo data only (synthetic patients), so names are shown; nothing here is logged.
 */
import type { Bundle, Condition, HumanName, MedicationRequest, MedicationStatement, Observation, Patient, Procedure } from "fhir/r4";
import type { SearchEngine } from "../fhir/search-engine.ts";

export interface PatientSummary {
  id: string;
  name: string;
  gender: string;
  birthDate: string;
  /** What this demo patient shows (e.g. "high risk", "too young"), set by the demo loader. */
  tags: string[];
}

export interface ChartEntry {
  date: string;
  text: string;
}

export interface Chart {
  patient: PatientSummary;
  conditions: ChartEntry[];
  medications: ChartEntry[];
  /** Such as the demo's knee replacements (sandbox/demo/give-knee-replacement.ts), which the card
   * and the app mention beside the risk. */
  procedures: ChartEntry[];
  bmi: ChartEntry[];
}

function displayName(names: HumanName[] | undefined): string {
  const n = names?.[0];
  if (!n) return "(no name)";
  return n.text ?? [...(n.given ?? []), n.family ?? ""].join(" ").trim();
}

export function summarize(patient: Patient, tags: readonly string[]): PatientSummary {
  return {
    id: patient.id ?? "",
    name: displayName(patient.name),
    gender: patient.gender ?? "unknown",
    birthDate: patient.birthDate ?? "",
    tags: [...tags],
  };
}

async function all<T>(engine: SearchEngine, type: string, query: Record<string, string>): Promise<T[]> {
  const result = await engine.search(type, { ...query, _count: "500" });
  if (result.status !== 200) return [];
  return ((result.resource as Bundle).entry ?? []).map((e: { resource?: unknown }) => e.resource as T);
}

function textOf(concept: { text?: string; coding?: { display?: string; code?: string }[] } | undefined): string {
  return concept?.text ?? concept?.coding?.[0]?.display ?? concept?.coding?.[0]?.code ?? "(uncoded)";
}

const newestFirst = (a: ChartEntry, b: ChartEntry) => b.date.localeCompare(a.date);

export async function listPatients(engine: SearchEngine, tags: ReadonlyMap<string, readonly string[]>): Promise<PatientSummary[]> {
  const patients = await all<Patient>(engine, "Patient", { _sort: "family" });
  return patients.map((p) => summarize(p, tags.get(p.id ?? "") ?? []));
}

export async function readChart(engine: SearchEngine, id: string, tags: readonly string[]): Promise<Chart | undefined> {
  const found = await engine.read("Patient", id);
  if (found.status !== 200) return undefined;
  const q = { patient: id };
  const [conditions, requests, statements, procedures, observations] = await Promise.all([
    all<Condition>(engine, "Condition", q),
    all<MedicationRequest>(engine, "MedicationRequest", q),
    all<MedicationStatement>(engine, "MedicationStatement", q),
    all<Procedure>(engine, "Procedure", q),
    all<Observation>(engine, "Observation", { ...q, code: "http://loinc.org|39156-5" }),
  ]);
  const medText = (m: MedicationRequest | MedicationStatement, form: string) =>
    `${m.medicationCodeableConcept ? textOf(m.medicationCodeableConcept) : (m.medicationReference?.display ?? m.medicationReference?.reference ?? "(medication)")} (${form})`;
  return {
    patient: summarize(found.resource as Patient, tags),
    conditions: conditions
      .map((c) => ({ date: (c.onsetDateTime ?? c.recordedDate ?? "").slice(0, 10), text: textOf(c.code) }))
      .sort(newestFirst),
    medications: [
      ...requests.map((m) => ({ date: (m.authoredOn ?? "").slice(0, 10), text: medText(m, "MedicationRequest") })),
      ...statements.map((m) => ({ date: (m.effectivePeriod?.start ?? m.effectiveDateTime ?? m.dateAsserted ?? "").slice(0, 10), text: medText(m, "MedicationStatement") })),
    ].sort(newestFirst),
    procedures: procedures
      .map((pr) => ({
        date: (pr.performedDateTime ?? pr.performedPeriod?.start ?? "").slice(0, 10),
        text: pr.status === "completed" ? textOf(pr.code) : `${textOf(pr.code)} (${pr.status})`,
      }))
      .sort(newestFirst),
    bmi: observations
      .map((o) => ({ date: (o.effectiveDateTime ?? "").slice(0, 10), text: `BMI ${o.valueQuantity?.value ?? "?"} ${o.valueQuantity?.unit ?? ""}`.trim() }))
      .sort(newestFirst),
  };
}
