/**
 * What a run read, as a fingerprint of its input folder: every file's name, size and
 * modification time. A run's state is kept with it (checkpoint.ts), so that a finished or
 * interrupted run is not taken up again once the folder has changed: a rerun over a folder whose
 * Patient file was cut to half would otherwise rewrite the old results as new.
 */
import { createHash } from "node:crypto";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { PopulationInputError } from "../input-error.ts";

/** The fingerprint; a PopulationInputError when `dir` is not a folder (before any output exists). */
export async function inputFingerprint(dir: string): Promise<string> {
  const names = await readdir(dir).catch(() => {
    throw new PopulationInputError(dir, null, "not a directory");
  });
  const hash = createHash("sha256");
  for (const name of names.sort()) {
    const info = await stat(join(dir, name));
    if (info.isFile()) hash.update(`${name}\t${info.size}\t${info.mtimeMs}\n`);
  }
  return hash.digest("hex");
}
