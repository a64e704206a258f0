/**
 * Progress of a run: a cli-progress bar on a terminal (patients, resources read, rate, ETA), plain
 * JSON lines on stderr otherwise (logs, CI, Kubernetes), one every few seconds. Events (bad lines,
 * resumes) are JSON lines in both cases. Nothing here names a patient.
 */
import cliProgress from "cli-progress";

export interface ProgressCounts {
  patientsRead: number;
  /** Patients scored by this run (those stored by an earlier, interrupted run are not counted). */
  scored: number;
  /** Patients skipped because an earlier run stored them. */
  resumed: number;
  resources: number;
}

export interface Progress {
  /** `total`: the patients expected, when known (for the ETA). */
  start(total: number | null): void;
  update(counts: ProgressCounts): void;
  event(event: string, fields?: Record<string, unknown>): void;
  stop(): void;
}

const LOG_EVERY_MS = 5000;

export function progressFor(stream: NodeJS.WriteStream = process.stderr): Progress {
  return stream.isTTY ? terminalProgress(stream) : lineProgress(stream);
}

export function lineProgress(stream: NodeJS.WritableStream): Progress {
  let started = 0;
  let last = 0;
  let total: number | null = null;
  const write = (event: string, fields: Record<string, unknown>) =>
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
  return {
    start(expected) {
      started = performance.now();
      total = expected;
      write("start", { patientsExpected: expected });
    },
    update(counts) {
      const now = performance.now();
      if (now - last < LOG_EVERY_MS) return;
      last = now;
      const perSecond = counts.patientsRead / Math.max((now - started) / 1000, 1e-3);
      const etaSeconds = total === null || perSecond === 0 ? null : Math.max(0, Math.round((total - counts.patientsRead) / perSecond));
      write("progress", { ...counts, patientsPerSecond: Math.round(perSecond), etaSeconds });
    },
    event: (event, fields = {}) => write(event, fields),
    stop() {},
  };
}

function terminalProgress(stream: NodeJS.WriteStream): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: "{bar} {percentage}% | {value}/{total} patients | {scored} scored | {resources} resources | {rate}/s | ETA {eta_formatted}",
      etaBuffer: 200,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = 0;
  return {
    start(total) {
      started = performance.now();
      bar.start(total ?? 0, 0, { scored: 0, resources: 0, rate: 0 });
    },
    update(counts) {
      const rate = Math.round(counts.patientsRead / Math.max((performance.now() - started) / 1000, 1e-3));
      if (bar.getTotal() < counts.patientsRead) bar.setTotal(counts.patientsRead);
      bar.update(counts.patientsRead, { scored: counts.scored + counts.resumed, resources: counts.resources, rate });
    },
    event(event, fields = {}) {
      // Clears the bar's line first; the bar redraws below on its next update.
      stream.write(`\r\x1b[K${JSON.stringify({ event, ...fields })}\n`);
    },
    stop: () => bar.stop(),
  };
}
