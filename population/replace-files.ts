/**
 * Files that belong together (a run's reports) replaced together, owner-only: each is written
 * under NAME.partial in the same folder (a rename within a folder is atomic) and none is renamed
 * into place until all are complete. A run that fails or is killed while writing them leaves the
 * earlier files as they were, never a mix of new and old; only a kill between two renames, which
 * take microseconds, could. As population/job/outputs/write-outputs.ts writes the job's outputs
 * (streamed there, too large to hold as one string).
 */
import { renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileOwnerOnly } from "./owner-only-files.ts";

const partialName = (name: string) => `${name}.partial`;

/** Replaces `files` ([name, content], in writing order) in `folder`. */
export function replaceFilesOwnerOnly(folder: string, files: readonly (readonly [name: string, data: string | Uint8Array])[]): void {
  // A rename fails onto a folder only: refused before anything is written, as it would otherwise
  // fail after the files renamed before it.
  for (const [name] of files) {
    if (statSync(join(folder, name), { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${join(folder, name)} is a folder`);
  }
  const written: string[] = [];
  try {
    for (const [name, data] of files) {
      const partial = join(folder, partialName(name));
      written.push(partial);
      writeFileOwnerOnly(partial, data);
    }
    for (const [name] of files) renameSync(join(folder, partialName(name)), join(folder, name));
  } finally {
    // After a failure, the partial files; none is left after the renames. Only files: a folder
    // under a partial name (which made the write fail) is not this run's to remove.
    for (const partial of written) if (statSync(partial, { throwIfNoEntry: false })?.isFile()) rmSync(partial);
  }
}
