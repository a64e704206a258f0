/**
 * Counts over the features built for a population: eligibility, warnings, and the resources
 * and codes the builder skipped or could not map. A patient's record is built once per index
 * date, so its skipped resources and unmapped codes are counted once per patient (the largest
 * count over its index dates), not once per build.
 */
import type { PatientFeatures } from "../../shared/features/types.ts";
import { increment } from "../../population/types.ts";

export class FeatureTally {
  rows = 0;
  eligibleRows = 0;
  readonly ineligible: Record<string, number> = {};
  readonly warnings: Record<string, number> = {};
  readonly skipped: Record<string, number> = {};
  readonly unmappedCodes = new Map<string, number>();
  /** Patients whose record has the unmapped code, per code. */
  readonly unmappedPatients = new Map<string, number>();
  private patientSkipped = new Map<string, number>();
  private patientUnmapped = new Map<string, number>();

  /** Counts one build; returns whether the row is eligible. */
  addRow(features: PatientFeatures): boolean {
    this.rows += 1;
    const { eligibility, quality } = features;
    if (eligibility.eligible) this.eligibleRows += 1;
    for (const reason of eligibility.reasons) increment(this.ineligible, reason);
    if (eligibility.eligible) for (const warning of eligibility.warnings) increment(this.warnings, warning);
    keepLargest(this.patientSkipped, quality.skipped);
    keepLargest(this.patientUnmapped, quality.unmappedCodes);
    return eligibility.eligible;
  }

  /** Closes the current patient's counts. */
  endPatient(): void {
    for (const [key, n] of this.patientSkipped) increment(this.skipped, key, n);
    for (const [key, n] of this.patientUnmapped) {
      this.unmappedCodes.set(key, (this.unmappedCodes.get(key) ?? 0) + n);
      this.unmappedPatients.set(key, (this.unmappedPatients.get(key) ?? 0) + 1);
    }
    this.patientSkipped = new Map();
    this.patientUnmapped = new Map();
  }

  /** The most frequent unmapped codes: by occurrences, then by patients, then by key. */
  topUnmapped(limit: number): { code: string; count: number; patients: number }[] {
    return [...this.unmappedCodes]
      .map(([code, count]) => ({ code, count, patients: this.unmappedPatients.get(code) ?? 0 }))
      .sort((a, b) => b.count - a.count || b.patients - a.patients || (a.code < b.code ? -1 : 1))
      .slice(0, limit);
  }
}

function keepLargest(target: Map<string, number>, counts: Readonly<Record<string, number>>): void {
  for (const [key, n] of Object.entries(counts)) if (n > (target.get(key) ?? 0)) target.set(key, n);
}
