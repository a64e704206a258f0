/** What the job read, for the summary: the reader's counts and the first bad lines by place. */
import type { PopulationStats } from "../types.ts";

export interface InputReport {
  format: PopulationStats["format"];
  grouping: PopulationStats["grouping"];
  patientsRead: number;
  resourcesByType: Record<string, number>;
  /** Lines and resources not used, by reason (bad lines included). */
  skipped: Record<string, number>;
  shared: Record<string, number>;
  ignoredFiles: { file: string; reason: string }[];
  /** The first BAD_LINES_LISTED bad lines ("file:line" and why); all are counted in `skipped`. */
  badLines: { where: string; reason: string }[];
  /** When the data was taken (a Bulk Data export's transactionTime); null for local files. */
  dataTime: string | null;
  /** OperationOutcomes in the export's error files (resources the server could not export);
   * null for local files. */
  exportErrorOutcomes: number | null;
}

export const BAD_LINES_LISTED = 50;

export function inputReport(stats: PopulationStats, badLines: InputReport["badLines"], source: Pick<InputReport, "dataTime" | "exportErrorOutcomes">): InputReport {
  return {
    format: stats.format,
    grouping: stats.grouping,
    patientsRead: stats.patients,
    resourcesByType: byName(stats.resourcesByType),
    skipped: byName(stats.skipped),
    shared: byName(stats.shared),
    ignoredFiles: stats.ignoredFiles,
    badLines,
    dataTime: source.dataTime,
    exportErrorOutcomes: source.exportErrorOutcomes,
  };
}

/** The counts in name order: the scoring threads add theirs in no fixed order, and shards of one
 * input must store equal reports (merge-shards.ts compares them). */
function byName(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
