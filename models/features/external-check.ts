/**
 * `npm run check:external`: how a foreign FHIR dataset looks to Patella. Every patient is built
 * once, at the index-date policy's latest index date (or, when the policy gives none, at the
 * day of the last record), and the counts show what was read, what was eligible, and which
 * codes the value sets do not know.
 */
import { buildFeatures } from "../../shared/features/build-features.ts";
import { policyIndexDates } from "../../population/index-dates.ts";
import { openPopulation } from "../../population/read-population.ts";
import type { PopulationStats } from "../../population/types.ts";
import { increment } from "../../population/types.ts";
import { collectDisplays } from "./coding-displays.ts";
import { FEATURE_RESOURCE_TYPES } from "./feature-resource-types.ts";
import { FeatureTally } from "./feature-tally.ts";

export interface ExternalCheckOptions {
  /** Count and skip lines (or Bundle files) that are not FHIR JSON instead of stopping. */
  skipBadLines?: boolean;
  /** How many unmapped codes to list. Default 20. */
  topCodes?: number;
  /** Where the spill of NDJSON not ordered by patient goes. Default: the OS temp folder. */
  tempDir?: string;
}

export interface ExternalCheckReport {
  dir: string;
  stats: PopulationStats;
  /** Patients by where their index date came from. */
  indexDateFrom: Record<"policy" | "last record date" | "no dated resource", number>;
  eligiblePatients: number;
  ineligibleByReason: Record<string, number>;
  warnings: Record<string, number>;
  skippedByFeatures: Record<string, number>;
  distinctUnmappedCodes: number;
  /** The most frequent unmapped codes, most frequent first: occurrences (the largest count over a
   * patient's index dates, summed over patients) and the number of patients. */
  topUnmapped: { code: string; display: string | null; count: number; patients: number }[];
}

export async function checkExternal(dir: string, options: ExternalCheckOptions = {}): Promise<ExternalCheckReport> {
  const population = await openPopulation(dir, {
    skipBadLines: options.skipBadLines === true,
    resourceTypes: FEATURE_RESOURCE_TYPES,
    ...(options.tempDir === undefined ? {} : { tempDir: options.tempDir }),
  });
  const tally = new FeatureTally();
  const indexDateFrom = { policy: 0, "last record date": 0, "no dated resource": 0 };
  const displays = new Map<string, string>();
  for await (const { resources } of population.patients()) {
    const plan = policyIndexDates(resources);
    const latest = plan.indexDates.at(-1)?.indexDate;
    const indexDate = latest ?? plan.lastRecord;
    if (indexDate === null) {
      increment(indexDateFrom, "no dated resource");
      continue;
    }
    increment(indexDateFrom, latest === undefined ? "last record date" : "policy");
    const features = buildFeatures(resources, indexDate);
    tally.addRow(features);
    tally.endPatient();
    const missing = Object.keys(features.quality.unmappedCodes).filter((key) => !displays.has(key));
    if (missing.length > 0) collectDisplays(resources, new Set(missing), displays);
  }
  return {
    dir,
    stats: population.stats,
    indexDateFrom,
    eligiblePatients: tally.eligibleRows,
    ineligibleByReason: tally.ineligible,
    warnings: tally.warnings,
    skippedByFeatures: tally.skipped,
    distinctUnmappedCodes: tally.unmappedCodes.size,
    topUnmapped: tally.topUnmapped(options.topCodes ?? 20).map((c) => ({ ...c, display: displays.get(c.code) ?? null })),
  };
}

/** The report as the text the command prints. */
export function formatExternalCheck(report: ExternalCheckReport): string {
  const list = (counts: Record<string, number>) =>
    Object.keys(counts).length === 0
      ? "none"
      : Object.entries(counts)
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .map(([key, n]) => `${key} ${n}`)
          .join(", ");
  const { stats } = report;
  const built = report.indexDateFrom.policy + report.indexDateFrom["last record date"];
  return [
    `check:external ${report.dir} (${stats.format}, ${stats.grouping})`,
    `resources by type: ${list(stats.resourcesByType)}`,
    `ignored files: ${stats.ignoredFiles.length === 0 ? "none" : stats.ignoredFiles.map((f) => `${f.file} (${f.reason})`).join(", ")}`,
    `skipped by the reader: ${list(stats.skipped)}`,
    `shared resources: ${list(stats.shared)}`,
    `patients: ${stats.patients}; index date from the policy ${report.indexDateFrom.policy}, the last record date ${report.indexDateFrom["last record date"]}, none (no dated resource) ${report.indexDateFrom["no dated resource"]}`,
    `eligible patients: ${report.eligiblePatients} of ${built}; ineligible by reason: ${list(report.ineligibleByReason)}`,
    `warnings (eligible patients): ${list(report.warnings)}`,
    `skipped by the feature builder: ${list(report.skippedByFeatures)}`,
    `unmapped codes: ${report.distinctUnmappedCodes} distinct; top ${report.topUnmapped.length} by frequency (occurrences, patients, system|code, display):`,
    ...report.topUnmapped.map(
      (c) => `  ${String(c.count).padStart(6)}  ${String(c.patients).padStart(5)}  ${c.code}  ${c.display ?? "(no display)"}`,
    ),
  ].join("\n");
}
