/**
 * The FHIR NDJSON files of a directory (Bulk Data style: one resource type per file, any
 * names ending .ndjson, several files per type allowed), told apart by their first line.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { sniffNdjsonFile } from "./ndjson-lines.ts";

/** The name of the simulator's ground-truth file, which is not FHIR. */
export const TRUTH_FILE = "truth.ndjson";

export interface NdjsonDirectory {
  /** Files whose first resource is a Patient, in name order (Patient.000, Patient.001, ...). */
  patientFiles: string[];
  /** All other FHIR NDJSON files, in name order. */
  otherFiles: string[];
  /** The other files whose first resource is a Medication (Bulk Data: the Medication files). */
  medicationFiles: string[];
  /** Files not read as FHIR, with why. */
  ignored: { file: string; reason: string }[];
}

/** Lists the .ndjson files of a directory (not truth.ndjson); empty lists when there are none. */
export async function listNdjsonFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names.filter((name) => name.endsWith(".ndjson") && name !== TRUTH_FILE).sort();
}

export async function scanNdjsonDirectory(dir: string): Promise<NdjsonDirectory> {
  const result: NdjsonDirectory = { patientFiles: [], otherFiles: [], medicationFiles: [], ignored: [] };
  for (const name of await listNdjsonFiles(dir)) {
    const first = await sniffNdjsonFile(join(dir, name));
    // A first line that is not JSON is read like any other line (an error naming it, or a
    // counted skip); only JSON that is not FHIR marks a file that is not data, e.g. log.ndjson.
    if (first.kind === "empty") result.ignored.push({ file: name, reason: "empty" });
    else if (first.kind === "not-fhir") result.ignored.push({ file: name, reason: "first line is not a FHIR resource" });
    else if (first.kind === "resource" && first.resourceType === "Patient") result.patientFiles.push(join(dir, name));
    else {
      result.otherFiles.push(join(dir, name));
      if (first.kind === "resource" && first.resourceType === "Medication") result.medicationFiles.push(join(dir, name));
    }
  }
  return result;
}
