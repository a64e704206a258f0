/** What the job read, for the summary: the reader's counts and the first bad lines by place. */
import { BUNDLE_LINE_NOT_READ } from "../ndjson-lines.ts";
import type { PopulationStats } from "../types.ts";

export interface InputReport {
  format: PopulationStats["format"];
  grouping: PopulationStats["grouping"];
  patientsRead: number;
  resourcesByType: Record<string, number>;
  /** Lines and resources not used, by reason (bad lines included). */
  skipped: Record<string, number>;
  shared: Record<string, number>;
  /** NDJSON lines read with a caveat, by reason (a resource without an id, a Patient listed
   * again): listed in `badLines` too, with `read`. */
  flagged?: Record<string, number>;
  ignoredFiles: { file: string; reason: string }[];
  /** The first BAD_LINES_LISTED bad lines ("file:line" and why), and lines read with a caveat
   * (`read`); all are counted in `skipped` or `flagged`. */
  badLines: { where: string; reason: string; read?: true }[];
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
    flagged: byName(stats.flagged ?? {}),
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

/** Why a run read no Patient, for the error that ends it: Bundle lines of NDJSON files when
 * there were any (a Patient in one is not read: an analyst who gave an "export" of Bundle lines
 * must be told that, not only that the Patient type is needed), else the missing type. */
export function noPatientReadCause(input: Pick<InputReport, "skipped">): string {
  const bundles = input.skipped[BUNDLE_LINE_NOT_READ] ?? 0;
  if (bundles === 0) return "the input needs the Patient type";
  const what = bundles === 1 ? "1 line of NDJSON files was a Bundle, which is" : `${bundles} lines of NDJSON files were Bundles, which are`;
  return `${what} not read (${BUNDLE_LINE_NOT_READ})`;
}
