/**
 * The folders a run made for an output it then did not write, taken away again: a run that
 * stored nothing leaves no trace (a --fhir kick-off the server refused, an evaluation that wrote
 * no report), and never removes a folder that was there before it.
 */
import { existsSync, rmdirSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** The highest folder on `folder`'s path that does not exist (`folder` itself or a parent): the
 * first that making `folder` with its missing parents makes; null when `folder` exists. */
export function highestMissingFolder(folder: string): string | null {
  let missing: string | null = null;
  for (let at = resolve(folder); !existsSync(at) && at !== dirname(at); at = dirname(at)) missing = at;
  return missing;
}

/**
 * Removes `folder`, then its parents up to `highestMade` (highestMissingFolder's answer before
 * they were made), each only while it is empty, so a file someone put there meanwhile keeps its
 * folder. Nothing when none was made. Best effort, stopping at the first folder it cannot remove:
 * it runs as a run fails, whose own error is the one to report.
 */
export function removeFoldersMade(folder: string, highestMade: string | null): void {
  if (highestMade === null) return;
  for (let at = resolve(folder); ; at = dirname(at)) {
    try {
      rmdirSync(at);
    } catch {
      return;
    }
    if (at === highestMade) return;
  }
}
