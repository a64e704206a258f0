/**
 * The scratch folder of a command run on one machine (`npm run features`, `npm run evaluate`,
 * `npm run check:external`), and the removal, when one of them starts, of what killed runs left in
 * the OS temp folder.
 *
 * Everything temporary a run makes (the SQLite spill of NDJSON not ordered by patient, the truth
 * store, evaluate's simulated cohort) goes into one folder, `patella-scratch-XXXXXX` in the OS temp
 * folder, removed when the run ends. kill -9 (the OOM killer, Ctrl-\, a CI timeout) and Ctrl-C leave
 * it, so it holds an owner file naming the process that made it: its process id, the host's boot id
 * (/proc/sys/kernel/random/boot_id) and the process's start time (/proc/PID/stat, clock ticks since
 * boot). A process id alone may by now name another process; with the boot id and the start time
 * it names one. At start, each of these commands removes every scratch folder whose owner is not
 * running, then makes its own.
 *
 * Not chosen: a folder inside the command's output, emptied at start, as the population job does
 * (population/job/spill-folder.ts). check:external has no output, evaluate's is a report folder
 * that is committed, features' --out is a file prefix, and two runs given the same output would
 * empty each other's scratch. The job chose it because its shards share a --temp-dir on a volume,
 * each in its own process-id namespace, where a process id proves nothing; these commands run on
 * one machine, and the owner file records the namespace, so that a folder made in another one (a
 * container sharing the temp folder) is never judged by its process id. Nor an owner file in each
 * spill and truth folder: the readers already take the folder their scratch goes in (`tempDir`),
 * one folder per run has one owner to judge and one removal at the end, and the spill's code is
 * part of the population rules' fingerprint (test/population/job/rules-version.test.ts).
 *
 * Kept, however old: a folder whose owner runs; another user's folder; anything not a folder; the
 * population job's `patella-spill-<16 hex digits>` (it has its own rules, job/spill-folder.ts). A
 * folder whose owner cannot be judged is removed only once nothing in it has changed for a day:
 * no readable owner file (what older versions left, `patella-spill-*`, `patella-truth-*` and
 * `koa-eval-*`, or a scratch folder in the instant before its owner file is written), or an owner
 * in another process-id namespace.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isJobSpillFolderName } from "../../population/job/spill-folder.ts";
import { mkdtempOwnerOnly, writeFileOwnerOnly } from "../../population/owner-only-files.ts";
import { removeOnInterrupt } from "./interrupt-cleanup.ts";

const SCRATCH_PREFIX = "patella-scratch-";
export const OWNER_FILE = "owner.json";
/** What older versions made straight in the OS temp folder, with no owner file. */
const UNOWNED_PREFIXES = ["patella-spill-", "patella-truth-", "koa-eval-"];
/** How long nothing in a folder whose owner cannot be judged must have changed before it is removed. */
const UNJUDGED_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** Who made a scratch folder. Null where the machine does not tell (no /proc). */
export interface Owner {
  pid: number;
  bootId: string | null;
  /** Clock ticks from boot to the process's start. */
  startTicks: number | null;
  /** e.g. "pid:[4026531836]". */
  pidNamespace: string | null;
}

export interface ScratchFolder {
  path: string;
  /** Removes the folder and everything in it (an interrupted command removes it too:
   * interrupt-cleanup.ts). */
  remove(): void;
}

/**
 * At a command's start: removes from `parent` what runs no longer running left (saying so on
 * stderr, prefixed with `command`), then makes this run's scratch folder there.
 */
export function openScratchFolder(command: string, parent: string = tmpdir()): ScratchFolder {
  const self = thisProcess();
  const removed = removeLeftovers(parent, Date.now(), self);
  if (removed.length > 0) {
    const megabytes = Math.round(removed.reduce((sum, r) => sum + r.bytes, 0) / 1e6);
    const folders = `${removed.length} temporary folder${removed.length === 1 ? "" : "s"}`;
    process.stderr.write(`${command}: removed ${folders} left in ${parent} by runs no longer running (${megabytes} MB)\n`);
  }
  // Owner-only (0700, its files 0600), whatever the umask: what goes in it is patients' data.
  const path = mkdtempOwnerOnly(join(parent, SCRATCH_PREFIX));
  const forget = removeOnInterrupt(path);
  writeFileOwnerOnly(join(path, OWNER_FILE), JSON.stringify(self) + "\n");
  return {
    path,
    remove: () => {
      rmSync(path, { recursive: true, force: true });
      forget();
    },
  };
}

/** Removes the folders of `parent` that runs no longer running left (rules at the top); returns them. */
export function removeLeftovers(parent: string, now: number = Date.now(), self: Owner = thisProcess()): { folder: string; bytes: number }[] {
  const uid = process.getuid?.();
  const removed: { folder: string; bytes: number }[] = [];
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return removed;
  }
  for (const name of names) {
    const scratch = name.startsWith(SCRATCH_PREFIX);
    if (!scratch && (!UNOWNED_PREFIXES.some((prefix) => name.startsWith(prefix)) || isJobSpillFolderName(name))) continue;
    const folder = join(parent, name);
    try {
      const stat = lstatSync(folder);
      if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) continue;
      const owner = scratch ? readOwner(folder) : null;
      const state = owner === null ? "unknown" : ownerState(owner, self);
      if (state === "running") continue;
      const { newestMs, bytes } = measure(folder);
      if (state === "unknown" && now - newestMs < UNJUDGED_MAX_AGE_MS) continue;
      rmSync(folder, { recursive: true, force: true });
      removed.push({ folder, bytes });
    } catch {
      // Removed meanwhile by another run starting, or not removable by this user: left.
    }
  }
  return removed;
}

/** Whether the owner still runs: "unknown" when this process cannot tell. */
function ownerState(owner: Owner, self: Owner): "running" | "gone" | "unknown" {
  // Another boot: every process of that one has ended.
  if (owner.bootId !== null && self.bootId !== null && owner.bootId !== self.bootId) return "gone";
  if (owner.pidNamespace !== self.pidNamespace) return "unknown";
  if (owner.startTicks !== null && self.startTicks !== null) {
    const now = processStat(owner.pid);
    // No such process, another process under the same id, or one that has ended (a zombie, Z, or
    // dead, X) and runs no code.
    if (now === null || now.startTicks !== owner.startTicks || now.state === "Z" || now.state === "X") return "gone";
    return "running";
  }
  // No /proc: the process id alone, which errs towards "running" should it have been reused.
  try {
    process.kill(owner.pid, 0);
    return "running";
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH" ? "gone" : "running";
  }
}

/** This process, as an owner file records it. */
export function thisProcess(): Owner {
  return {
    pid: process.pid,
    bootId: readOrNull(() => readFileSync("/proc/sys/kernel/random/boot_id", "utf8")),
    startTicks: processStat(process.pid)?.startTicks ?? null,
    pidNamespace: readOrNull(() => readlinkSync("/proc/self/ns/pid")),
  };
}

function readOrNull(read: () => string): string | null {
  try {
    return read().trim();
  } catch {
    return null;
  }
}

/** The state (field 3) and start time (field 22) of /proc/PID/stat, or null when there is none. */
function processStat(pid: number): { state: string; startTicks: number } | null {
  const text = readOrNull(() => readFileSync(`/proc/${pid}/stat`, "utf8"));
  if (text === null) return null;
  // Field 2, the command name, is in parentheses and may itself hold spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const startTicks = Number(fields[19]);
  return Number.isSafeInteger(startTicks) ? { state: fields[0] ?? "", startTicks } : null;
}

/** The folder's owner file, or null when there is none or it does not read as one. */
function readOwner(folder: string): Owner | null {
  const text = readOrNull(() => readFileSync(join(folder, OWNER_FILE), "utf8"));
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const stringOrNull = (v: unknown) => typeof v === "string" || v === null;
    if (!Number.isSafeInteger(value.pid) || (value.pid as number) <= 0) return null;
    if (!stringOrNull(value.bootId) || !stringOrNull(value.pidNamespace)) return null;
    if (!(Number.isSafeInteger(value.startTicks) || value.startTicks === null)) return null;
    return value as unknown as Owner;
  } catch {
    return null;
  }
}

/** The latest modification time in a folder (itself included) and the bytes of its files. */
function measure(path: string): { newestMs: number; bytes: number } {
  const stat = lstatSync(path);
  let newestMs = stat.mtimeMs;
  let bytes = stat.isFile() ? stat.size : 0;
  if (stat.isDirectory()) {
    for (const name of readdirSync(path)) {
      const inner = measure(join(path, name));
      newestMs = Math.max(newestMs, inner.newestMs);
      bytes += inner.bytes;
    }
  }
  return { newestMs, bytes };
}
