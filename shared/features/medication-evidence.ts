/** Medication channels from MedicationRequest, MedicationStatement and MedicationDispense. */
import { matchMedication } from "../valuesets.ts";
import { asString } from "./fhir-read.ts";
import { drugConcept } from "./medication-concept.ts";
import { medicationCoverage } from "./medication-coverage.ts";
import type { MedicationDays } from "./medication-days.ts";
import type { QualityLog } from "./quality.ts";
import type { RecordHistory } from "./record-history.ts";
import type { RecordIndex } from "./record-index.ts";

interface Sinks {
  days: MedicationDays;
  history: RecordHistory;
  quality: QualityLog;
}

export function collectMedicationEvidence(index: RecordIndex, indexDay: number, { days, history, quality }: Sinks): void {
  for (const resource of index.medicationUses) {
    const type = asString(resource.resourceType) ?? "";
    const coverage = medicationCoverage(resource, type, indexDay, quality);
    if (coverage === null) continue;
    history.see(coverage.start);
    const drug = drugConcept(resource, index.medicationsById);
    if (typeof drug === "string") {
      quality.skip(type, drug);
      continue;
    }
    const match = matchMedication(drug.concept);
    quality.unmapped(match);
    if (days.add(match.ids, drug.key, coverage.start, coverage.end)) quality.used();
  }
}
