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
  /** The counts start again from zero (the job regroups and reads every patient anew): the rate
   * is measured from now, not over the time the forgotten pass took. */
  restart(): void;
  update(counts: ProgressCounts): void;
  event(event: string, fields?: Record<string, unknown>): void;
  stop(): void;
}

const LOG_EVERY_MS = 5000;

/** Patients read a second; an elapsed time of ~0 counts as a millisecond. */
const perSecond = (read: number, elapsedSeconds: number): number => read / Math.max(elapsedSeconds, 1e-3);

/**
 * Seconds until the patients expected are all read, at the rate read so far; null when it cannot
 * be estimated: no count expected, none read yet, or more read than expected (the count is an
 * estimate, expected-patients.ts: once passed, what is left is unknown, not nothing).
 */
export function etaSeconds(expected: number | null, read: number, elapsedSeconds: number): number | null {
  if (expected === null || read === 0 || read > expected) return null;
  // (expected - read) / (read / elapsed), without dividing by an elapsed time that may be ~0.
  return Math.round(((expected - read) * elapsedSeconds) / read);
}

export function progressFor(stream: NodeJS.WriteStream = process.stderr): Progress {
  return stream.isTTY ? terminalProgress(stream) : lineProgress(stream);
}

/** `now`: milliseconds on a monotonic clock (a test passes its own). */
export function lineProgress(stream: NodeJS.WritableStream, now: () => number = () => performance.now()): Progress {
  let started = 0;
  let last = 0;
  let total: number | null = null;
  const write = (event: string, fields: Record<string, unknown>) =>
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
  return {
    start(expected) {
      started = now();
      total = expected;
      write("start", { patientsExpected: expected });
    },
    restart() {
      started = now();
    },
    update(counts) {
      const time = now();
      if (time - last < LOG_EVERY_MS) return;
      last = time;
      const elapsedSeconds = (time - started) / 1000;
      write("progress", {
        ...counts,
        patientsPerSecond: Math.round(perSecond(counts.patientsRead, elapsedSeconds)),
        etaSeconds: etaSeconds(total, counts.patientsRead, elapsedSeconds),
      });
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
  const startBar = (total: number) => {
    started = performance.now();
    bar.start(total, 0, { scored: 0, resources: 0, rate: 0 });
  };
  return {
    start: (total) => startBar(total ?? 0),
    // Started again, so that cli-progress's own ETA forgets the values of the forgotten pass too.
    restart: () => startBar(bar.getTotal()),
    update(counts) {
      const rate = Math.round(perSecond(counts.patientsRead, (performance.now() - started) / 1000));
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
