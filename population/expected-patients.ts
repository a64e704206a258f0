/**
 * How many patients a population directory holds, cheaply, for a progress bar's ETA: the lines of
 * the NDJSON Patient files, or the number of Bundle files. An estimate (bad lines, Bundles of
 * several patients), never used for anything but display.
 */
import { listJsonFiles } from "./bundle-reader.ts";
import { listNdjsonFiles, scanNdjsonDirectory } from "./ndjson-directory.ts";
import { readNdjsonLines } from "./ndjson-lines.ts";

export async function expectedPatients(dir: string): Promise<number | null> {
  if ((await listNdjsonFiles(dir)).length > 0) {
    let lines = 0;
    for (const file of (await scanNdjsonDirectory(dir)).patientFiles) {
      for await (const _ of readNdjsonLines(file)) lines += 1;
    }
    return lines;
  }
  const bundles = (await listJsonFiles(dir)).length;
  return bundles > 0 ? bundles : null;
}
