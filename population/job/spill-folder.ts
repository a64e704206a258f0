/**
 * Where a run keeps the SQLite spill of NDJSON not ordered by patient (ndjson-sqlite-spill.ts):
 * a folder that belongs to the run's --out, emptied when the run starts or resumes.
 *
 * The spill deletes its database when the read ends, but kill -9 (an OOM kill, a pod evicted)
 * leaves it, and every such run used to leave one more in the OS temp folder. A resumed run
 * never reuses a spill (it spills the input again from the start), so what is in its own folder
 * at start is only a killed run's leftover, and removing it is safe. A folder per --out, rather
 * than an owner's process id on each spill cleaned by whichever run starts next: the shards of
 * deploy/population share one --temp-dir on a shared volume, each in its own process-id namespace,
 * where a process id says nothing about whether another pod's spill is still in use. So a run
 * never removes another --out's spill.
 *
 * OUT records where its run keeps the spill (SPILL_RECORD), so that a run resumed with another
 * --temp-dir than the killed one, or none, removes that one's leftover too; and the folder holds a
 * note naming its --out (SPILL_NOTE), so that an operator who finds a leftover of an abandoned
 * --out in a --temp-dir can tell whose it is. Deleting --out deletes a default spill with it; a
 * --temp-dir leftover stays only when its --out is abandoned, for the operator to delete.
 */
import { createHash } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { removeOnInterrupt } from "../../models/features/interrupt-cleanup.ts";
import { mkdirOwnerOnly, writeFileOwnerOnly } from "../owner-only-files.ts";

const JOB_SPILL_PREFIX = "patella-spill-";
const JOB_SPILL_HEX_DIGITS = 16;
const JOB_SPILL_NAME = new RegExp(`^${JOB_SPILL_PREFIX}[0-9a-f]{${JOB_SPILL_HEX_DIGITS}}$`);
/** In OUT while a run may have a spill: the spill folder's absolute path. */
export const SPILL_RECORD = "spill-folder.txt";
/** In the spill folder: whose it is, for an operator. */
export const SPILL_NOTE = "patella-spill-of.txt";

/** `OUT/patella-spill`, or with --temp-dir `TEMP/patella-spill-<SHA-256 of OUT's absolute path>`,
 * so that runs sharing a --temp-dir never touch each other's spills. */
export function spillFolder(outDir: string, tempDir?: string): string {
  if (tempDir === undefined) return join(outDir, "patella-spill");
  return join(tempDir, `${JOB_SPILL_PREFIX}${createHash("sha256").update(resolve(outDir)).digest("hex").slice(0, JOB_SPILL_HEX_DIGITS)}`);
}

/** Whether a folder's name is one spillFolder gives under a --temp-dir: the job's own, which the
 * models' CLIs leave alone when they clean the temp folder (models/features/scratch-folder.ts). */
export function isJobSpillFolderName(name: string): boolean {
  return JOB_SPILL_NAME.test(name);
}

export interface SpillFolder {
  path: string;
  /** Removes the folder the spill emptied, and OUT's record of it. */
  remove(): void;
}

/**
 * Opens the run's spill folder, only once the run owns --out (its checkpoint opened): removes
 * what a killed run left, in this folder and in the one OUT records, then records and makes this
 * one. Ctrl-C, SIGTERM or SIGHUP remove it too (interrupt-cleanup.ts).
 */
export function openSpillFolder(outDir: string, tempDir?: string): SpillFolder {
  const path = spillFolder(outDir, tempDir);
  const record = join(outDir, SPILL_RECORD);
  const recorded = recordedSpillFolder(outDir);
  if (recorded !== null) rmSync(recorded, { recursive: true, force: true });
  rmSync(path, { recursive: true, force: true });
  // Recorded first: a run killed in between leaves no folder OUT does not know of.
  writeFileOwnerOnly(record, `${resolve(path)}\n`);
  const forgetRecord = removeOnInterrupt(record);
  const forgetFolder = removeOnInterrupt(path);
  mkdirOwnerOnly(path);
  writeFileOwnerOnly(
    join(path, SPILL_NOTE),
    `Temporary files of the Patella population job whose output folder is the --out ${resolve(outDir)}.\n` +
      "Removed when that run ends, or when a run on that --out starts. Safe to delete when no run on that --out is running.\n",
  );
  return {
    path,
    remove() {
      rmSync(path, { recursive: true, force: true });
      rmSync(record, { force: true });
      forgetFolder();
      forgetRecord();
    },
  };
}

/** The spill folder OUT records, when it is one spillFolder gives for this OUT (under any
 * --temp-dir, or none): never another run's, whatever the record says. */
function recordedSpillFolder(outDir: string): string | null {
  let text: string;
  try {
    text = readFileSync(join(outDir, SPILL_RECORD), "utf8");
  } catch {
    return null;
  }
  const recorded = text.trim();
  const ours = recorded === resolve(spillFolder(outDir)) || recorded === resolve(spillFolder(outDir, dirname(recorded)));
  return ours ? recorded : null;
}
