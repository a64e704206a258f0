/**
 * What a run read, as a fingerprint of its input folder: every file's name, size, modification
 * time and permission bits. A run's state is kept with it (checkpoint.ts), so that a finished or
 * interrupted run is not taken up again once the folder has changed: a rerun over a folder whose
 * Patient file was cut to half would otherwise rewrite the old results as new.
 *
 * Names the readers skip as unreadable do not stop it: a broken symbolic link (its stat fails)
 * adds nothing, as a folder does not (its file, once back, adds its line). A file's permission
 * bits are part of its line: a file the run could not read, given permission later, keeps its
 * size and time but now holds patients that run never read.
 */
import { createHash } from "node:crypto";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { jsonNames } from "../bundle-reader.ts";
import { NO_INPUT_FILES, PopulationInputError, unreadableFolder } from "../input-error.ts";
import { ndjsonNames } from "../ndjson-directory.ts";

/**
 * The fingerprint; a PopulationInputError, before any output exists, when `dir` is not a folder
 * or holds no file the readers read (no .ndjson file but truth.ndjson, no .json file), with
 * the message openPopulation (read-population.ts) gives for it. A folder with such files but no
 * Patient in them is read, and the job writes its empty outputs.
 */
export async function inputFingerprint(dir: string): Promise<string> {
  const names = await readdir(dir).catch((error: unknown) => {
    throw unreadableFolder(dir, error);
  });
  // The readers' own filters, so that this check and openPopulation cannot disagree.
  if (ndjsonNames(names).length === 0 && jsonNames(names).length === 0) {
    throw new PopulationInputError(dir, null, NO_INPUT_FILES);
  }
  const hash = createHash("sha256");
  for (const name of names.sort()) {
    const info = await stat(join(dir, name)).catch(() => null);
    if (info?.isFile() === true) hash.update(`${name}\t${info.size}\t${info.mtimeMs}\t${(info.mode & 0o7777).toString(8)}\n`);
  }
  return hash.digest("hex");
}
