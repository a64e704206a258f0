import type { Progress } from "../../../population/job/progress.ts";

/** A progress that records what the run tells it, in order: "start", "update N" (patients read), "event E", "restart", "stop" (not the grouping counts). */
export function recordingProgress(): { progress: Progress; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    progress: {
      start: () => calls.push("start"),
      restart: () => calls.push("restart"),
      update: (counts) => calls.push(`update ${counts.patientsRead}`),
      event: (event) => calls.push(`event ${event}`),
      // Not recorded: grouping-progress.test.ts checks what grouping reports.
      grouping: () => undefined,
      stop: () => calls.push("stop"),
    },
  };
}
