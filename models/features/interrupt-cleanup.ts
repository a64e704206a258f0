/**
 * What a command undoes when it is interrupted: Ctrl-C (SIGINT), SIGTERM from a shell, systemd or
 * Kubernetes (a pod stopped or evicted), or SIGHUP (its terminal closed, an SSH session dropped).
 * Node ends on these signals without running `finally` blocks, so a spill or a simulated cohort
 * of some gigabytes stayed until the next run's start-up cleanup, or for good when there was no
 * next run, and evaluate or recalibrate left the `run.lock` of their --out (and the --out they
 * made). After the cleanups the signal ends the process as it would have (the parent sees the
 * signal, not an exit code).
 *
 * A handler runs only once the main thread is free: a command in a long synchronous step (the
 * spill's index build) ends seconds after the signal, not at once. Hence the npm scripts run
 * these commands as `node --import tsx`, not through tsx's launcher, which kills its child with
 * SIGKILL when the child does not answer a relayed signal within 30 ms. SIGKILL and SIGQUIT
 * (Ctrl-\) are not handled: the start-up cleanups remain for them.
 */
import { rmSync } from "node:fs";
import { constants } from "node:os";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

interface Cleanup {
  /** What it does, for the line on stderr when it fails ("remove /tmp/x"). */
  what: string;
  run: () => void;
}

/** In the order registered. */
const cleanups = new Set<Cleanup>();

function cleanUpThenDie(signal: NodeJS.Signals): void {
  for (const s of SIGNALS) process.removeListener(s, cleanUpThenDie);
  for (const cleanup of cleanups) {
    try {
      cleanup.run();
    } catch (error) {
      // The signal must still end the process (a folder on a shared volume can refuse removal).
      process.stderr.write(`could not ${cleanup.what}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
    }
  }
  cleanups.clear();
  // Another listener would take the re-raised signal instead of the default action, and might
  // not end the process: then end it with the code a shell gives a process the signal ended.
  if (process.listenerCount(signal) > 0) process.exit(128 + constants.signals[signal]);
  process.kill(process.pid, signal);
}

/** Runs `run` if the process is interrupted before the returned function is called (when the
 * caller has done it itself, or no longer needs it done). `what` names it in the line on stderr
 * that says it failed. */
export function onInterrupt(what: string, run: () => void): () => void {
  if (cleanups.size === 0) for (const s of SIGNALS) process.on(s, cleanUpThenDie);
  const cleanup = { what, run };
  cleanups.add(cleanup);
  return () => {
    if (!cleanups.delete(cleanup) || cleanups.size > 0) return;
    for (const s of SIGNALS) process.removeListener(s, cleanUpThenDie);
  };
}

/** Removes `folder` if the process is interrupted before the returned function is called (when
 * the caller removes it itself, or keeps it). */
export function removeOnInterrupt(folder: string): () => void {
  return onInterrupt(`remove ${folder}`, () => rmSync(folder, { recursive: true, force: true }));
}
