/**
 * Temporary folders removed when a command is interrupted: Ctrl-C (SIGINT), or SIGTERM from a
 * shell, systemd or Kubernetes (a pod stopped or evicted). Node ends on these signals without
 * running `finally` blocks, so a spill or a simulated cohort of some gigabytes stayed until the
 * next run's start-up cleanup, or for good when there was no next run. After removing them the
 * signal ends the process as it would have (the parent sees the signal, not an exit code).
 * SIGKILL cannot be caught: the start-up cleanups remain for it.
 */
import { rmSync } from "node:fs";

const SIGNALS = ["SIGINT", "SIGTERM"] as const;
const folders = new Set<string>();

function removeAllThenDie(signal: NodeJS.Signals): void {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  folders.clear();
  for (const s of SIGNALS) process.removeListener(s, removeAllThenDie);
  process.kill(process.pid, signal);
}

/** Removes `folder` if the process is interrupted before the returned function is called (when
 * the caller removes it itself, or keeps it). */
export function removeOnInterrupt(folder: string): () => void {
  if (folders.size === 0) for (const s of SIGNALS) process.on(s, removeAllThenDie);
  folders.add(folder);
  return () => {
    if (!folders.delete(folder) || folders.size > 0) return;
    for (const s of SIGNALS) process.removeListener(s, removeAllThenDie);
  };
}
