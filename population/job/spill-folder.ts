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
 * where a process id says nothing about whether another pod's spill is still in use. Deleting
 * --out deletes the spill with it; a --temp-dir leftover stays only when its --out is abandoned.
 */
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";

const JOB_SPILL_PREFIX = "patella-spill-";
const JOB_SPILL_HEX_DIGITS = 16;
const JOB_SPILL_NAME = new RegExp(`^${JOB_SPILL_PREFIX}[0-9a-f]{${JOB_SPILL_HEX_DIGITS}}$`);

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

/** Removes the spill folder: at start what a killed run left in it (only once the run owns its
 * --out, its checkpoint opened), at the end the folder the spill emptied. */
export function removeSpillFolder(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
}
