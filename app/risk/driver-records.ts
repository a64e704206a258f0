/**
 * The records behind each explained group, so that every reason links to what the record
 * holds: dates, codes and displays. The groups are found with the shared value-set matchers
 * (matchDiagnosis, matchMedication, drugConcept), the same the feature builder applies. Only
 * records the builder counts as evidence at the index date are listed (shared/counted-records.ts:
 * not a refuted Condition or a cancelled visit, nothing written into the record on or after the
 * index date, nothing outside the model's 156-week window, only the measurements the latest BMI
 * was taken from). Each carries the day the builder counts it as evidence (visitDatedDay: its
 * own day, or a Condition without dates its visit's), a UTC day, and the date the record writes
 * when that is another (shared/record-dates.ts, writtenDate): the app shows the record's date and names the
 * counted day beside it.
 */
import type { CodeableConcept, Coding, Condition, Encounter, Observation, Patient, Resource } from "fhir/r4";
import { dayToIsoDate, parseFhirDay } from "../../shared/fhir-dates.ts";
import { isBodyMeasure, statedBmi } from "../../shared/features/body-mass.ts";
import { cleanConcept, type JsonObject } from "../../shared/features/fhir-read.ts";
import { drugConcept } from "../../shared/features/medication-concept.ts";
import { QualityLog } from "../../shared/features/quality.ts";
import { indexRecord } from "../../shared/features/record-index.ts";
import { encounterDate, RESOURCE_DATE_READERS } from "../../shared/features/resource-dates.ts";
import { matchDiagnosis, matchMedication } from "../../shared/valuesets.ts";
import { countedAsEvidence, enteredBefore, referencedId, visitDatedDay, visitDays } from "../../shared/counted-records.ts";
import { writtenDate } from "../../shared/record-dates.ts";

export interface RecordRef {
  resourceType: string;
  id: string;
  /** The UTC day (YYYY-MM-DD) the model counts it on, or null when the resource has no clinical
   * date (Patient). */
  date: string | null;
  /** The date as the record writes it, where it is not `date`: a dateTime whose own calendar day
   * is another UTC day (21:36-04:00 is counted the next day), or a year or a month, which the model
   * counts from its first day. */
  writtenDate?: string;
  /** The codings of the concept that makes it evidence for this reason (only that concept's:
   * a visit for hypertension and diabetes lists only the diabetes coding under Diabetes). */
  codings: Coding[];
  /** The record's own words for that concept (its CodeableConcept.text as sent), or for a Patient
   * the element the model read: "birth date" (age), "administrative gender" (sex). */
  text?: string;
  /** The value the model read: a measurement's quantity, a Patient's birth date or gender. */
  value?: string;
  /** A stated BMI the feature builder accepts (its units and plausible range), in kg/m2. */
  statedBmi?: number;
}

/** One reason a resource is evidence for, with what to show for it. */
interface Evidence {
  key: string;
  concept?: CodeableConcept;
  text?: string;
  value?: string;
  statedBmi?: number;
}

const MEDICATION_TYPES = new Set(["MedicationRequest", "MedicationStatement", "MedicationDispense"]);

const textOf = (concept: unknown): string | undefined => {
  const text = (concept as { text?: unknown } | null | undefined)?.text;
  return typeof text === "string" && text.trim() !== "" ? text : undefined;
};

/** Driver keys (as in RiskDriver.key) a diagnosis resource is evidence for, one per key: the
 * first of its concepts that matches it. */
function diagnosisEvidence(raw: readonly unknown[]): Evidence[] {
  const byKey = new Map<string, Evidence>();
  for (const original of raw) {
    const concept = cleanConcept(original);
    if (concept === undefined) continue;
    for (const id of matchDiagnosis(concept).ids) {
      const key = `diagnosis:${id}`;
      const text = textOf(original);
      if (!byKey.has(key)) byKey.set(key, { key, concept, ...(text !== undefined && { text }) });
    }
  }
  return [...byKey.values()];
}

/** The reasons a resource is evidence for (RiskDriver.key), with the concept that says so. */
function evidenceOf(resource: Resource, medications: ReadonlyMap<string, JsonObject>, quality: QualityLog): Evidence[] {
  if (resource.resourceType === "Patient") {
    const { birthDate, gender } = resource as Patient;
    return [
      { key: "age", text: "birth date", value: birthDate ?? "not recorded" },
      { key: "sex", text: "administrative gender", value: gender ?? "not recorded" },
    ];
  }
  if (resource.resourceType === "Condition") return diagnosisEvidence([(resource as Condition).code]);
  if (resource.resourceType === "Encounter") return diagnosisEvidence((resource as Encounter).reasonCode ?? []);
  if (MEDICATION_TYPES.has(resource.resourceType)) {
    const drug = drugConcept(resource as unknown as JsonObject, medications);
    if (typeof drug === "string") return [];
    const text = textOf(drug.concept);
    return matchMedication(drug.concept).ids.map((id) => ({ key: `medication:${id}`, concept: drug.concept, ...(text !== undefined && { text }) }));
  }
  // The builder's own test of a body measure, so a record is linked only if the model reads it.
  if (resource.resourceType === "Observation" && isBodyMeasure(resource as unknown as JsonObject)) {
    const code = (resource as Observation).code;
    const value = valueOf(resource);
    const text = textOf(code);
    const bmi = statedBmi(resource as unknown as JsonObject, quality);
    return [{ key: "bmi", concept: code, ...(text !== undefined && { text }), ...(value !== undefined && { value }), ...(bmi !== null && { statedBmi: bmi }) }];
  }
  return [];
}

function valueOf(resource: Resource): string | undefined {
  const quantity = (resource as Observation).valueQuantity;
  if (quantity?.value === undefined) return undefined;
  return `${quantity.value} ${quantity.unit ?? quantity.code ?? ""}`.trim();
}

/**
 * The date the record writes for the day `day` the builder counts a resource on, when it is not
 * that day as YYYY-MM-DD. Of the values visitDatedDay reads (the resource's own date, else a
 * Condition's visit's date), the one that falls on `day`. `visitDates`: each Encounter's date
 * value by id.
 */
function writtenDateOf(resource: Resource, day: number, visitDates: ReadonlyMap<string, unknown>): string | undefined {
  const json = resource as unknown as JsonObject;
  const own = Object.hasOwn(RESOURCE_DATE_READERS, resource.resourceType) ? RESOURCE_DATE_READERS[resource.resourceType]!(json) : undefined;
  const visitId = referencedId(json.encounter, "Encounter");
  const candidates = [own, visitId === undefined ? undefined : visitDates.get(visitId)];
  const value = candidates.find((candidate): candidate is string => typeof candidate === "string" && parseFhirDay(candidate) === day);
  const written = value === undefined ? undefined : writtenDate(value);
  return written === dayToIsoDate(day) ? undefined : written;
}

/**
 * Which records to list: "evidence", those the builder counts as evidence at the index date (the
 * reasons); "history", every record of a group that entered the record before the index date,
 * whatever the window or the latest BMI (the trend's events, which look back over three years and
 * compare one BMI reading with the one before).
 */
export type RecordScope = "evidence" | "history";

/** Records by driver key, newest first. */
export function recordsByDriver(resources: readonly Resource[], indexDate: string, scope: RecordScope = "evidence"): Map<string, RecordRef[]> {
  const indexDay = parseFhirDay(indexDate) as number;
  // The versions the builder keeps of resources repeated with one id (record-index.ts), and its
  // Medications by id: a repeated one is listed once, as the builder read it.
  // A scratch log: the builder's counts are its own to report (data quality).
  const quality = new QualityLog();
  const index = indexRecord(resources, quality);
  const kept = [...(index.patient ? [index.patient] : []), ...index.conditions, ...index.encounters, ...index.medicationUses, ...index.observations];
  const counted = scope === "evidence" ? countedAsEvidence(resources, indexDay, index) : enteredBefore(indexDay);
  const visits = visitDays(index.encounters);
  const visitDates = new Map(index.encounters.flatMap((encounter) => (typeof encounter.id === "string" ? [[encounter.id, encounterDate(encounter)] as const] : [])));
  const byKey = new Map<string, RecordRef[]>();
  for (const resource of kept as unknown as Resource[]) {
    if (!counted(resource)) continue;
    const day = visitDatedDay(resource, visits);
    const written = day === null ? undefined : writtenDateOf(resource, day, visitDates);
    for (const { key, concept, text, value, statedBmi: bmi } of evidenceOf(resource, index.medicationsById, quality)) {
      const ref: RecordRef = {
        resourceType: resource.resourceType,
        id: resource.id ?? "",
        date: day === null ? null : dayToIsoDate(day),
        ...(written !== undefined && { writtenDate: written }),
        codings: (concept?.coding ?? []).filter((c) => typeof c.code === "string"),
        ...(text !== undefined && { text }),
        ...(value !== undefined && { value }),
        ...(bmi !== undefined && { statedBmi: bmi }),
      };
      const refs = byKey.get(key);
      if (refs === undefined) byKey.set(key, [ref]);
      else refs.push(ref);
    }
  }
  // Newest first by the date shown (a list whose dates go up would read as misordered), then by the day counted.
  const shown = (ref: RecordRef) => ref.writtenDate ?? ref.date ?? "";
  for (const refs of byKey.values()) refs.sort((a, b) => shown(b).localeCompare(shown(a)) || (b.date ?? "").localeCompare(a.date ?? ""));
  return byKey;
}
