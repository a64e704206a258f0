/**
 * Runs models over a cohort directory: reads patients one at a time (population/), takes the
 * index dates and labels from truth.ndjson when present (else from the documented index-date
 * policy, population/index-dates.ts), builds features with the shared builder, and scores
 * eligible rows in batches with the shared inference code.
 */
import { buildFeatures } from "../../shared/features/build-features.ts";
import type { PatientFeatures } from "../../shared/features/types.ts";
import type { RiskModel } from "../../shared/inference/index.ts";
import { policyIndexDates } from "../../population/index-dates.ts";
import { openPopulation } from "../../population/read-population.ts";
import type { PopulationStats } from "../../population/types.ts";
import { ORACLE, type PredictionTable, emptyTable } from "./prediction-table.ts";
import { type TruthMap, readTruth } from "./truth-file.ts";

export interface CollectOptions {
  /** Stop after this many patients (quick runs). Default: all. */
  maxPatients?: number;
  /** Rows scored per model call. Default 512. */
  batchSize?: number;
  /** Count unreadable lines instead of failing (population reader option). */
  skipBadLines?: boolean;
  /** Called every 1,000 patients. */
  onProgress?: (patients: number) => void;
}

export interface CollectedPredictions {
  table: PredictionTable;
  labelSource: "truth" | "index-date-policy";
  patients: number;
  indexDates: number;
  /** Index dates not scored, by eligibility reason. */
  excluded: Record<string, number>;
  /** Truth index dates whose patient had no record, or records without truth. */
  unmatched: { truthWithoutRecord: number; recordWithoutTruth: number };
  population: PopulationStats;
}

interface Pending {
  features: PatientFeatures;
  label: number;
  trueRisk: number | null;
  patientIndex: number;
}

function indexDatesOf(
  truth: TruthMap | null,
  patientId: string,
  resources: Parameters<typeof policyIndexDates>[0],
): { date: string; label: number; trueRisk: number | null }[] | null {
  if (truth === null) return policyIndexDates(resources).indexDates.map((d) => ({ date: d.indexDate, label: d.label, trueRisk: null }));
  const record = truth.get(patientId);
  if (record === undefined) return null;
  return record.indexDates.map((d) => ({ date: d.date, label: d.outcome1y ? 1 : 0, trueRisk: d.trueRisk1y }));
}

export async function collectPredictions(
  dir: string,
  models: readonly RiskModel[],
  options: CollectOptions = {},
): Promise<CollectedPredictions> {
  const truth = await readTruth(dir);
  const names = models.map((m) => m.info.name);
  const table = emptyTable(truth === null ? names : [...names, ORACLE]);
  const population = await openPopulation(dir, { skipBadLines: options.skipBadLines === true });
  const batchSize = options.batchSize ?? 512;
  const excluded: Record<string, number> = {};
  const seenTruth = new Set<string>();
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
      table.patientIndex.push(p.patientIndex);
      names.forEach((name, m) => table.scores[name]!.push(predictions[m]![i] as number));
      if (p.trueRisk !== null) table.scores[ORACLE]!.push(p.trueRisk);
    });
    pending = [];
  }

  for await (const record of population.patients()) {
    if (options.maxPatients !== undefined && patients >= options.maxPatients) break;
    const dates = indexDatesOf(truth, record.patientId, record.resources);
    if (dates === null) {
      recordWithoutTruth++;
      continue;
    }
    seenTruth.add(record.patientId);
    for (const d of dates) {
      indexDates++;
      const features = buildFeatures(record.resources, d.date);
      if (!features.eligibility.eligible) {
        for (const reason of features.eligibility.reasons) excluded[reason] = (excluded[reason] ?? 0) + 1;
        continue;
      }
      pending.push({ features, label: d.label, trueRisk: d.trueRisk, patientIndex: patients });
    }
    patients++;
    if (pending.length >= batchSize) await flush();
    if (patients % 1000 === 0) options.onProgress?.(patients);
  }
  await flush();
  const truthWithoutRecord = truth === null || options.maxPatients !== undefined ? 0 : truth.size - seenTruth.size;
  return {
    table,
    labelSource: truth === null ? "index-date-policy" : "truth",
    patients,
    indexDates,
    excluded,
    unmatched: { truthWithoutRecord, recordWithoutTruth },
    population: population.stats,
  };
}
