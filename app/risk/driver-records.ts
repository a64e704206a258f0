/**
 * The records behind each explained group, so that every reason links to what the record
 * holds: dates, codes and displays. The groups are found with the shared value-set matchers
 * (matchDiagnosis, matchMedication, drugConcept), the same the feature builder applies. Only
 * records the builder counts as evidence at the index date are listed (shared/counted-records.ts:
 * not a refuted Condition or a cancelled visit, nothing written into the record on or after the
 * index date, nothing outside the model's 156-week window, only the measurements the latest BMI
 * was taken from). Each is shown with the day the builder counts it as evidence (resourceDay).
 */
import type { CodeableConcept, Coding, Condition, Encounter, Observation, Resource } from "fhir/r4";
import { dayToIsoDate, parseFhirDay } from "../../shared/fhir-dates.ts";
import { cleanConcept, type JsonObject } from "../../shared/features/fhir-read.ts";
import { drugConcept } from "../../shared/features/medication-concept.ts";
import { matchDiagnosis, matchMedication, OBSERVATION_LOINC } from "../../shared/valuesets.ts";
import { countedAsEvidence } from "../../shared/counted-records.ts";
import { resourceDay } from "../../shared/record-dates.ts";

export interface RecordRef {
  resourceType: string;
  id: string;
  /** YYYY-MM-DD, or null when the resource has no clinical date (Patient). */
  date: string | null;
  codings: Coding[];
  /** Numeric value for measurements (BMI, weight, height). */
  value?: string;
}

const MEDICATION_TYPES = new Set(["MedicationRequest", "MedicationStatement", "MedicationDispense"]);
const BODY_MEASURE_CODES = new Set<string>(Object.values(OBSERVATION_LOINC));

function codingsOf(concepts: readonly (CodeableConcept | undefined)[]): Coding[] {
  return concepts.flatMap((c) => c?.coding ?? []).filter((c) => typeof c.code === "string");
}

/** Driver keys (as in RiskDriver.key) a resource is evidence for, with the concepts that say so. */
function groupsOf(resource: Resource, medications: ReadonlyMap<string, JsonObject>): { keys: string[]; concepts: CodeableConcept[] } {
  const json = resource as unknown as JsonObject;
  if (resource.resourceType === "Patient") return { keys: ["age", "sex"], concepts: [] };
  if (resource.resourceType === "Condition" || resource.resourceType === "Encounter") {
    const raw = resource.resourceType === "Condition" ? [(resource as Condition).code] : ((resource as Encounter).reasonCode ?? []);
    const concepts = raw
      .map((c) => cleanConcept(c))
      .filter((c): c is CodeableConcept => c !== undefined);
    const keys = concepts.flatMap((c) => matchDiagnosis(c).ids.map((id) => `diagnosis:${id}`));
    return { keys: [...new Set(keys)], concepts };
  }
  if (MEDICATION_TYPES.has(resource.resourceType)) {
    const drug = drugConcept(json, medications);
    if (typeof drug === "string") return { keys: [], concepts: [] };
    return { keys: matchMedication(drug.concept).ids.map((id) => `medication:${id}`), concepts: [drug.concept] };
  }
  const code = (resource as Observation).code;
  if (resource.resourceType === "Observation" && code?.coding?.some((c) => BODY_MEASURE_CODES.has(c.code ?? ""))) {
    return { keys: ["bmi"], concepts: [code] };
  }
  return { keys: [], concepts: [] };
}

function valueOf(resource: Resource): string | undefined {
  const quantity = (resource as Observation).valueQuantity;
  if (resource.resourceType !== "Observation" || quantity?.value === undefined) return undefined;
  return `${quantity.value} ${quantity.unit ?? quantity.code ?? ""}`.trim();
}

/** Records by driver key, newest first. */
export function recordsByDriver(resources: readonly Resource[], indexDate: string): Map<string, RecordRef[]> {
  const indexDay = parseFhirDay(indexDate) as number;
  const medications = new Map<string, JsonObject>();
  for (const r of resources) if (r.resourceType === "Medication" && r.id) medications.set(r.id, r as unknown as JsonObject);
  const counted = countedAsEvidence(resources, indexDay);
  const byKey = new Map<string, RecordRef[]>();
  for (const resource of resources) {
    if (!counted(resource)) continue;
    const day = resourceDay(resource);
    const { keys, concepts } = groupsOf(resource, medications);
    if (keys.length === 0) continue;
    const value = valueOf(resource);
    const ref: RecordRef = {
      resourceType: resource.resourceType,
      id: resource.id ?? "",
      date: day === null ? null : dayToIsoDate(day),
      codings: codingsOf(concepts),
      ...(value !== undefined && { value }),
    };
    for (const key of keys) byKey.set(key, [...(byKey.get(key) ?? []), ref]);
  }
  for (const refs of byKey.values()) refs.sort((a, b) => (b.date ?? "").localeCompare(a.date ?? ""));
  return byKey;
}
