/**
 * `npm run features`: every patient and index date of a population directory through the
 * shared feature builder, eligible rows into the tensor files (feature-outputs.ts).
 */
import { buildFeatures } from "../../shared/features/build-features.ts";
import { CHANNEL_COUNT, CHANNELS, FEATURE_SPEC_VERSION, STATIC_COUNT, STATIC_FEATURES, WEEKS } from "../../shared/features/spec.ts";
import { policySource, truthSource, type IndexDateSource } from "../../population/index-date-source.ts";
import { openPopulation } from "../../population/read-population.ts";
import { TruthStore } from "../../population/truth-store.ts";
import { FEATURE_RESOURCE_TYPES } from "./feature-resource-types.ts";
import { FeatureOutputs } from "./feature-outputs.ts";
import { FeatureTally } from "./feature-tally.ts";

export interface FeatureRunOptions {
  /** Population directory: FHIR NDJSON (with an optional truth.ndjson) or FHIR Bundle files. */
  inDir: string;
  /** Output path prefix: PREFIX.sequence.npy, PREFIX.static.npy, ... */
  outPrefix: string;
  /** Count and skip lines that are not FHIR JSON instead of stopping. Default false. */
  skipBadLines?: boolean;
  /** Index-date policy only: keep the latest N index dates per patient. Default: all. */
  maxIndexDates?: number;
  /** Minimum age at the index date for a row to be eligible. Default: the builder's (18). */
  minAgeYears?: number;
  /** Where temporary SQLite files go. Default: the OS temp dir. */
  tempDir?: string;
  /** Called about every `progressEveryMs` with the counts so far. */
  onProgress?: (progress: FeatureRunProgress) => void;
  progressEveryMs?: number;
}

export interface FeatureRunProgress {
  patients: number;
  rows: number;
  seconds: number;
}

export interface FeatureRunResult {
  files: string[];
  meta: FeatureMeta;
  seconds: number;
}

export type FeatureMeta = ReturnType<typeof describeRun>;

export async function runFeatures(options: FeatureRunOptions): Promise<FeatureRunResult> {
  const started = performance.now();
  const population = await openPopulation(options.inDir, {
    skipBadLines: options.skipBadLines === true,
    resourceTypes: FEATURE_RESOURCE_TYPES,
    ...(options.tempDir === undefined ? {} : { tempDir: options.tempDir }),
  });
  const truth = await TruthStore.open(options.inDir, options.tempDir);
  const source = truth === null ? policySource({ maxIndexDates: options.maxIndexDates ?? Infinity }) : truthSource(truth);
  const outputs = new FeatureOutputs(options.outPrefix);
  const tally = new FeatureTally();
  const counts = { patientsWithoutIndexDates: 0, patientsNotInTruth: 0, positives: 0 };
  const featureOptions = options.minAgeYears === undefined ? {} : { minAgeYears: options.minAgeYears };
  const seconds = () => (performance.now() - started) / 1000;
  let lastProgress = performance.now();
  try {
    for await (const { patientId, resources } of population.patients()) {
      const indexDates = source.indexDatesOf(patientId, resources);
      if (indexDates === null) counts.patientsNotInTruth += 1;
      else if (indexDates.length === 0) counts.patientsWithoutIndexDates += 1;
      for (const { indexDate, label, trueRisk1y } of indexDates ?? []) {
        const features = buildFeatures(resources, indexDate, featureOptions);
        if (!tally.addRow(features)) continue;
        counts.positives += label;
        const { sex, ageYears, bmi } = features.demographics;
        const warnings = features.eligibility.warnings;
        outputs.append(features.sequence, features.static, { patientId, indexDate, label, trueRisk1y, sex, ageYears, bmiMissing: bmi === null, warnings });
      }
      tally.endPatient();
      if (options.onProgress !== undefined && performance.now() - lastProgress >= (options.progressEveryMs ?? 2000)) {
        lastProgress = performance.now();
        options.onProgress({ patients: population.stats.patients, rows: outputs.rowCount, seconds: seconds() });
      }
    }
    const meta = describeRun(source, population.stats, tally, {
      ...counts,
      truthPatientsWithoutRecords: truth?.unseenCount() ?? null,
    });
    return { files: outputs.commit(meta), meta, seconds: seconds() };
  } catch (error) {
    outputs.abort();
    throw error;
  } finally {
    truth?.close();
  }
}

function describeRun(
  source: IndexDateSource,
  stats: Awaited<ReturnType<typeof openPopulation>>["stats"],
  tally: FeatureTally,
  extra: { patientsWithoutIndexDates: number; patientsNotInTruth: number; positives: number; truthPatientsWithoutRecords: number | null },
) {
  return {
    specVersion: FEATURE_SPEC_VERSION,
    labelSource: source.kind,
    input: { format: stats.format, grouping: stats.grouping, ignoredFiles: stats.ignoredFiles },
    shapes: {
      sequence: [tally.eligibleRows, CHANNEL_COUNT, WEEKS],
      static: [tally.eligibleRows, STATIC_COUNT],
      labels: [tally.eligibleRows],
    },
    channels: CHANNELS.map((c) => ({ kind: c.kind, id: c.id })),
    staticFeatures: [...STATIC_FEATURES],
    weeks: WEEKS,
    counts: {
      patients: stats.patients,
      ...extra,
      indexDates: tally.rows,
      rows: tally.eligibleRows,
      ineligibleRows: tally.rows - tally.eligibleRows,
      ineligibleByReason: tally.ineligible,
      warningsOfRows: tally.warnings,
      resourcesByType: stats.resourcesByType,
      skippedResources: { reader: stats.skipped, features: tally.skipped },
    },
  };
}
