/**
 * Runs models over a cohort directory: reads patients one at a time (population/), takes the
 * index dates and labels from truth.ndjson when present (else from the documented index-date
 * policy), through the same index-date source as `npm run features` (population/
 * index-date-source.ts), builds features with the shared builder, and scores eligible rows in
 * batches with the shared inference code.
 */
import { buildFeatures } from "../../shared/features/build-features.ts";
import type { PatientFeatures } from "../../shared/features/types.ts";
import type { RiskModel } from "../../shared/inference/index.ts";
import { type IndexDateSource, policySource, truthSource } from "../../population/index-date-source.ts";
import { kneeOaDiagnosisDay } from "../../population/index-dates.ts";
import { openPopulation } from "../../population/read-population.ts";
import { TruthStore } from "../../population/truth-store.ts";
import type { PopulationStats } from "../../population/types.ts";
import { FEATURE_RESOURCE_TYPES } from "../features/feature-resource-types.ts";
import { ORACLE, type PredictionTable, emptyTable } from "./prediction-table.ts";

export interface CollectOptions {
  /** Stop after this many patients (quick runs). Default: all. */
  maxPatients?: number;
  /** Rows scored per model call. Default 512. */
  batchSize?: number;
  /** Count unreadable lines instead of failing (population reader option). */
  skipBadLines?: boolean;
  /** Called every 1,000 patients. */
  onProgress?: (patients: number) => void;
  /** Where the spill of NDJSON not ordered by patient and the truth store go. Default: the OS temp folder. */
  tempDir?: string;
}

export interface CollectedPredictions {
  table: PredictionTable;
  labelSource: IndexDateSource["kind"];
  patients: number;
  indexDates: number;
  /** Patients read that gave no index date: with knee OA evidence (a case diagnosed before the
   * first possible index date), and the rest (record too short, or nothing dated). */
  patientsWithoutIndexDates: { diagnosedBeforeFirstIndexDate: number; other: number };
  /** Index dates not scored, by eligibility reason. */
  excluded: Record<string, number>;
  /** Truth patients without a record, or records without truth. */
  unmatched: { truthWithoutRecord: number; recordWithoutTruth: number };
  /** What the reader read, skipped and ignored (files, lines, resources). */
  population: PopulationStats;
}

interface Pending {
  features: PatientFeatures;
  label: number;
  trueRisk: number | null;
  patientIndex: number;
}

export async function collectPredictions(
  dir: string,
  models: readonly RiskModel[],
  options: CollectOptions = {},
): Promise<CollectedPredictions> {
  const names = models.map((m) => m.info.name);
  // The feature builder's types only, as npm run features reads them: the same record, the same
  // index dates and labels in every command.
  const population = await openPopulation(dir, {
    skipBadLines: options.skipBadLines === true,
    resourceTypes: FEATURE_RESOURCE_TYPES,
    ...(options.tempDir === undefined ? {} : { tempDir: options.tempDir }),
  });
  const truth = await TruthStore.open(dir, options.tempDir);
  const source = truth === null ? policySource() : truthSource(truth);
  const table = emptyTable(truth === null ? names : [...names, ORACLE]);
  const batchSize = options.batchSize ?? 512;
  const excluded: Record<string, number> = {};
  const withoutIndexDates = { diagnosedBeforeFirstIndexDate: 0, other: 0 };
  let recordWithoutTruth = 0;
  let patients = 0;
  let indexDates = 0;
  let pending: Pending[] = [];

  async function flush(): Promise<void> {
    if (pending.length === 0) return;
    const rows = pending.map((p) => p.features);
    const predictions = await Promise.all(models.map((m) => m.predict(rows)));
    pending.forEach((p, i) => {
      table.labels.push(p.label);
      table.ageYears.push(p.features.demographics.ageYears ?? Number.NaN);
      table.sex.push(p.features.demographics.sex);
      table.bmiMissing.push(p.features.demographics.bmi === null);
      table.patientIndex.push(p.patientIndex);
      names.forEach((name, m) => table.scores[name]!.push(predictions[m]![i] as number));
      if (p.trueRisk !== null) table.scores[ORACLE]!.push(p.trueRisk);
    });
    pending = [];
  }

  try {
    for await (const record of population.patients()) {
      if (options.maxPatients !== undefined && patients >= options.maxPatients) break;
      const dates = source.indexDatesOf(record.patientId, record.resources);
      if (dates === null) {
        recordWithoutTruth++;
        continue;
      }
      if (dates.length === 0) {
        if (kneeOaDiagnosisDay(record.resources) === null) withoutIndexDates.other++;
        else withoutIndexDates.diagnosedBeforeFirstIndexDate++;
      }
      for (const d of dates) {
        indexDates++;
        const features = buildFeatures(record.resources, d.indexDate);
        if (!features.eligibility.eligible) {
          for (const reason of features.eligibility.reasons) excluded[reason] = (excluded[reason] ?? 0) + 1;
          continue;
        }
        pending.push({ features, label: d.label, trueRisk: d.trueRisk1y, patientIndex: patients });
      }
      patients++;
      if (pending.length >= batchSize) await flush();
      if (patients % 1000 === 0) options.onProgress?.(patients);
    }
    await flush();
    const truthWithoutRecord = truth === null || options.maxPatients !== undefined ? 0 : truth.unseenCount();
    return {
      table,
      labelSource: source.kind,
      patients,
      indexDates,
      patientsWithoutIndexDates: withoutIndexDates,
      excluded,
      unmatched: { truthWithoutRecord, recordWithoutTruth },
      population: population.stats,
    };
  } finally {
    truth?.close();
  }
}
