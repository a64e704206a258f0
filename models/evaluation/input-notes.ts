/**
 * What the evaluation read and did not use, as sentences: the same lines in the console and in
 * the Markdown report, so that nothing skipped is reported in one place only.
 */
import { MAX_LISTED_SKIPPED_LINES } from "../../population/types.ts";
import type { EvaluationReport } from "./build-report.ts";

const counts = (values: Record<string, number>): string =>
  Object.entries(values)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([key, n]) => `${key} ${n}`)
    .join(", ") || "none";

/** The parts of an evaluation report that say what was read (the recalibration report has them too). */
export type InputSummary = Pick<EvaluationReport, "input"> & {
  cohort: Pick<EvaluationReport["cohort"], "labelSource" | "patientsWithoutIndexDates" | "excluded" | "unmatched">;
};

export function inputNotes(report: InputSummary): string[] {
  const { cohort: c, input } = report;
  const ignored = input.ignoredFiles.map((f) => `${f.file} (${f.reason})`).join(", ");
  return [
    `Files not read as FHIR: ${input.ignoredFiles.length === 0 ? "none" : `${input.ignoredFiles.length}: ${ignored}`}.`,
    `Lines, files and resources skipped by the reader: ${counts(input.skipped)}.`,
    ...(input.skippedLines.length === 0
      ? []
      : [`Skipped lines${input.skippedLines.length === MAX_LISTED_SKIPPED_LINES ? ` (the first ${MAX_LISTED_SKIPPED_LINES})` : ""}: ${input.skippedLines.map((l) => `${l.where} (${l.reason})`).join(", ")}.`]),
    `Patients without any index date: ${c.patientsWithoutIndexDates.diagnosedBeforeFirstIndexDate} diagnosed with knee OA before the first possible index date, ` +
      `${c.patientsWithoutIndexDates.other} with a record too short or undated.`,
    `Index dates not scored (feature builder's eligibility): ${counts(c.excluded)}.`,
    ...(c.labelSource === "truth.ndjson"
      ? [`Truth lines without a record: ${c.unmatched.truthWithoutRecord}; records without a truth line: ${c.unmatched.recordWithoutTruth}.`]
      : []),
  ];
}
