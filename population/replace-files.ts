/**
 * Files that belong together (a run's reports) replaced together, owner-only: each is written
 * under NAME.partial in the same folder (a rename within a folder is atomic) and none is renamed
 * into place until all are complete. A run that fails or is killed while writing them leaves the
 * earlier files as they were, never a mix of new and old; only a kill between two renames, which
 * take microseconds, could. As population/job/outputs/write-outputs.ts writes the job's outputs
 * (streamed there, too large to hold as one string). A kill -9 runs no `finally`: the partial
 * files it leaves are removed by the next run's start (removeLeftoverPartials).
 */
import { lstatSync, renameSync, rmSync, statSync } from "node:fs";
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

/**
 * Removes from `folder` the partial files of `names` that a run killed while writing them left,
 * and returns their names: a command calls it when it starts, so that they do not sit beside the
 * reports, looking like a newer version of them, until a run gets as far as writing. Only files:
 * a folder under such a name is not a run's leftover.
 */
function removeLeftoverPartials(folder: string, names: readonly string[]): string[] {
  const removed: string[] = [];
  for (const name of names) {
    const partial = join(folder, partialName(name));
    if (!lstatSync(partial, { throwIfNoEntry: false })?.isFile()) continue;
    rmSync(partial);
    removed.push(partialName(name));
  }
  return removed;
}

/** removeLeftoverPartials for a command at its start, naming on stderr what it removed (the
 * operator may wonder where the files went). */
export function clearLeftoverPartials(command: string, folder: string, names: readonly string[]): void {
  const removed = removeLeftoverPartials(folder, names);
  if (removed.length > 0) console.error(`${command}: removed ${removed.join(" and ")} from ${folder}: unfinished files of a run stopped while writing them`);
}
