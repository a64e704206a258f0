/**
 * How many patients a population directory holds, cheaply, for a progress bar's ETA: the lines of
 * the NDJSON Patient files, or the number of Bundle files that hold a Patient (not every file:
 * Synthea adds hospitalInformation and practitionerInformation files, which hold none). An
 * estimate (bad lines, Bundles of several patients), never used for anything but display.
 */
import { join } from "node:path";
import { holdsPatient, SCAN_CHUNK_BYTES } from "./bundle-file.ts";
import { listJsonFiles } from "./bundle-reader.ts";
import { listNdjsonFiles, scanNdjsonDirectory } from "./ndjson-directory.ts";
import { readNdjsonLineBatches } from "./ndjson-byte-lines.ts";

export async function expectedPatients(dir: string): Promise<number | null> {
  if ((await listNdjsonFiles(dir)).length > 0) {
    let lines = 0;
    for (const file of (await scanNdjsonDirectory(dir)).patientFiles) {
      // Counted in their bytes: nothing is decoded for an estimate.
      for await (const batch of readNdjsonLineBatches(file)) lines += batch.lines.length;
    }
    return lines;
  }
  const names = await listJsonFiles(dir);
  if (names.length === 0) return null;
  const buffer = Buffer.allocUnsafe(SCAN_CHUNK_BYTES);
  let bundles = 0;
  for (const name of names) {
    if (await holdsPatient(join(dir, name), buffer)) bundles += 1;
  }
  return bundles;
}
