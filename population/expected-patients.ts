/**
 * How many patients a population directory holds, cheaply, for a progress bar's ETA: the lines of
 * the NDJSON Patient files that hold a Patient, or the number of Bundle files that hold a Patient
 * (not every file: Synthea adds hospitalInformation and practitionerInformation files, which hold
 * none). Not every line of a Patient file: a file is a Patient file by its first resource, and may
 * hold other types after it (an unordered export, read through the spill); one patient with
 * 400,000 heart rates there was expected as 400,001 patients, and the ETA said weeks for a run that
 * had read them all. An estimate (bad lines, a Patient contained in another resource, Bundles
 * of several patients), never used for anything but display.
 */
import { join } from "node:path";
import { HAS_PATIENT, holdsPatient, SCAN_CHUNK_BYTES } from "./bundle-file.ts";
import { listJsonFiles } from "./bundle-reader.ts";
import { listNdjsonFiles, scanNdjsonDirectory } from "./ndjson-directory.ts";
import { readNdjsonLineBatches } from "./ndjson-byte-lines.ts";

const PATIENT_LITERAL = Buffer.from('"Patient"');

export async function expectedPatients(dir: string): Promise<number | null> {
  if ((await listNdjsonFiles(dir)).length > 0) {
    let patients = 0;
    for (const file of (await scanNdjsonDirectory(dir)).patientFiles) {
      // Matched in a Latin-1 view of their bytes (HAS_PATIENT is ASCII): nothing is decoded for an
      // estimate. A line too long to be read (null) is not counted.
      for await (const batch of readNdjsonLineBatches(file)) {
        // The literal first: most lines of a Patient file that holds other types lack it, and no
        // line without it can match.
        for (const bytes of batch.bytes) if (bytes !== null && bytes.includes(PATIENT_LITERAL) && HAS_PATIENT.test(bytes.toString("latin1"))) patients += 1;
      }
    }
    return patients;
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
