/**
 * Writes the outputs of a finished run (OUTPUT_FILES) from its stored patients. Every file is written
 * under a temporary name and renamed into place only when all are complete, so a reader never
 * sees a partial file. The same function serves a single run and a shard merge: the files depend
 * only on the stored patients, the input report and the identity, not on read order or sharding
 * (summary.html also shows when and how the run was made).
 */
import { renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { BufferedFile } from "../../../models/features/buffered-file.ts";
import { writeFileOwnerOnly } from "../../owner-only-files.ts";
import type { BuilderQualityReport } from "../builder-totals.ts";
import type { RunIdentity } from "../checkpoint.ts";
import type { InputReport } from "../input-report.ts";
import type { ScoredPatient } from "../scored-patient.ts";
import { highRiskGroup } from "./high-risk-group.ts";
import { imagingGroup } from "./imaging-group.ts";
import { csvHeader, csvRows } from "./high-risk-csv.ts";
import { PopulationTally } from "./population-tally.ts";
import { riskAssessment } from "./risk-assessment.ts";
import { IMAGING_LIST_WORDS, isOnImagingList, selectHighRisk, type Selection } from "./selection.ts";
import type { RunTiming } from "../run-timing.ts";
import { summaryHtml } from "./summary-html.ts";

export const OUTPUT_FILES = ["high-risk.csv", "imaging-knee-oa.csv", "risk-assessments.ndjson", "high-risk-group.json", "imaging-knee-oa-group.json", "summary.html"] as const;

export interface StoredRun {
  identity: RunIdentity;
  input: InputReport;
  builderQuality: BuilderQualityReport;
  /** Every stored patient, riskiest first (ties by id). */
  ranked(): Iterable<ScoredPatient>;
  /** Every stored patient by id. */
  byId(): Iterable<ScoredPatient>;
}

export function writeOutputs(outDir: string, run: StoredRun, selection: Selection, timing: RunTiming): { files: string[]; tally: PopulationTally } {
  const temp = (name: string) => join(outDir, `${name}.partial`);
  try {
    const tally = new PopulationTally(run.identity.indexDate);
    // imaging-knee-oa.csv in the same pass over the stored patients (in rank order): high-risk.csv's
    // columns, its own ranks and note.
    const imaging = new BufferedFile(temp("imaging-knee-oa.csv"));
    imaging.writeText(`${csvHeader(run.identity.includeNames)}\r\n`);
    const imagingRow = csvRows({ identity: run.identity, threshold: selection.threshold, listWords: IMAGING_LIST_WORDS });
    const imagingListed: string[] = [];
    for (const patient of run.ranked()) {
      tally.add(patient);
      if (patient.probability !== null && patient.probability >= selection.threshold) tally.atOrAboveThreshold += 1;
      if (!isOnImagingList(patient)) continue;
      imagingListed.push(patient.patientId);
      imaging.writeText(`${imagingRow(imagingListed.length, patient)}\r\n`);
    }
    imaging.close();

    const csv = new BufferedFile(temp("high-risk.csv"));
    csv.writeText(`${csvHeader(run.identity.includeNames)}\r\n`);
    const listed: string[] = [];
    const csvRow = csvRows({ identity: run.identity, threshold: selection.threshold });
    for (const patient of selectHighRisk(run.ranked(), selection)) {
      listed.push(patient.patientId);
      if (patient.kneeOaAfterIndex !== null) tally.listedKneeOaAfterIndex += 1;
      csv.writeText(`${csvRow(listed.length, patient)}\r\n`);
    }
    csv.close();
    tally.listed = listed.length;

    const assessments = new BufferedFile(temp("risk-assessments.ndjson"));
    for (const patient of run.byId()) {
      if (patient.probability !== null) assessments.writeText(`${JSON.stringify(riskAssessment(patient, run.identity))}\n`);
    }
    assessments.close();

    // Owner-only (0600), as BufferedFile's: the files name patients (owner-only-files.ts).
    writeFileOwnerOnly(temp("high-risk-group.json"), `${JSON.stringify(highRiskGroup(listed, run.identity, selection), null, 2)}\n`);
    writeFileOwnerOnly(temp("imaging-knee-oa-group.json"), `${JSON.stringify(imagingGroup(imagingListed, run.identity), null, 2)}\n`);
    writeFileOwnerOnly(temp("summary.html"), summaryHtml({ identity: run.identity, input: run.input, builderQuality: run.builderQuality, tally, selection, timing }));
    for (const name of OUTPUT_FILES) renameSync(temp(name), join(outDir, name));
    return { files: OUTPUT_FILES.map((name) => join(outDir, name)), tally };
  } finally {
    for (const name of OUTPUT_FILES) rmSync(temp(name), { force: true });
  }
}
