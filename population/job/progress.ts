/**
 * Progress of a run: a cli-progress bar on a terminal (patients, resources read, rate, ETA), plain
 * JSON lines on stderr otherwise (logs, CI, Kubernetes), one every few seconds. Events (bad lines,
 * resumes) are JSON lines in both cases. Nothing here names a patient.
 */
import cliProgress from "cli-progress";

export interface ProgressCounts {
  patientsRead: number;
  /** Patients given a risk, as the run's last line on stdout counts them (not those stored without
   * one: already diagnosed, too young, no Patient resource), by this run or by the earlier,
   * interrupted run it resumed. */
  scored: number;
  /** Patients skipped because an earlier run stored them, given a risk or not. */
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
  /** The resources grouped on disk so far (unordered NDJSON, before any patient is read:
   * ReadPopulationOptions.onGrouping), as `grouping on disk` events: the first at once, then at
   * most one every 5 s, and the `finished` one always. */
  grouping(resourcesGrouped: number, finished: boolean): void;
  stop(): void;
}

const LOG_EVERY_MS = 5000;

/** Progress.grouping over `event`, throttled as the progress lines are. */
function groupingEvents(event: Progress["event"], now: () => number): Progress["grouping"] {
  let last: number | null = null;
  return (resourcesGrouped, finished) => {
    const time = now();
    if (!finished && last !== null && time - last < LOG_EVERY_MS) return;
    last = time;
    event("grouping on disk", { resourcesGrouped, finished });
  };
}

/**
 * Patients read a second, as shown: two significant figures below 100 (0.4, 5.5, 33), a whole
 * number from 100. Rounded to a whole number, a slow run (a few patients a second on records of
 * thousands of resources each, or the first patients out of a spill) showed 0, which reads as
 * stalled. An elapsed time of ~0 counts as a millisecond.
 */
export function displayedRate(read: number, elapsedSeconds: number): number {
  const rate = read / Math.max(elapsedSeconds, 1e-3);
  return rate >= 100 ? Math.round(rate) : Number(rate.toPrecision(2));
}

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

/** `now`: milliseconds on a monotonic clock (a test passes its own). */
export function progressFor(stream: NodeJS.WriteStream = process.stderr, now: () => number = () => performance.now()): Progress {
  return stream.isTTY ? terminalProgress(stream, now) : lineProgress(stream, now);
}

/** `now`: milliseconds on a monotonic clock (a test passes its own). */
export function lineProgress(stream: NodeJS.WritableStream, now: () => number = () => performance.now()): Progress {
  let started = 0;
  let last = 0;
  let total: number | null = null;
  /** The latest counts not yet written (throttled), for stop(). */
  let unwritten: { counts: ProgressCounts; time: number } | null = null;
  const write = (event: string, fields: Record<string, unknown> = {}) =>
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
  const writeCounts = (counts: ProgressCounts, time: number) => {
    last = time;
    unwritten = null;
    const elapsedSeconds = (time - started) / 1000;
    write("progress", {
      ...counts,
      patientsPerSecond: displayedRate(counts.patientsRead, elapsedSeconds),
      etaSeconds: etaSeconds(total, counts.patientsRead, elapsedSeconds),
    });
  };
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
      if (time - last >= LOG_EVERY_MS) writeCounts(counts, time);
      else unwritten = { counts: { ...counts }, time };
    },
    event: write,
    grouping: groupingEvents(write, now),
    // The log's last progress line is the run's last counts, not those of up to 5 s before.
    stop() {
      if (unwritten !== null) writeCounts(unwritten.counts, unwritten.time);
    },
  };
}

/** An ETA as the bar shows it: "41m30s", "1h05m", "unknown". */
function etaText(seconds: number | null): string {
  if (seconds === null) return "unknown";
  const two = (n: number) => String(n).padStart(2, "0");
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)}h${two(Math.floor((seconds % 3600) / 60))}m`;
  if (seconds >= 60) return `${Math.floor(seconds / 60)}m${two(seconds % 60)}s`;
  return `${seconds}s`;
}

function terminalProgress(stream: NodeJS.WriteStream, now: () => number): Progress {
  // The rate and the ETA are the log lines' (lineProgress), not cli-progress's own: its ETA said
  // 0 s, and its bar set to the count read said 100%, while a run that had read more patients than
  // the estimate expected went on (expected-patients.ts), and it cannot be measured from a restart.
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: "{bar} {percentage}% | {value}/{total} patients | {scored} scored | {resources} resources | {rate}/s | ETA {etaText}",
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = 0;
  let expected: number | null = null;
  const startBar = () => {
    started = now();
    bar.start(expected ?? 0, 0, { scored: 0, resources: 0, rate: 0, etaText: etaText(null) });
  };
  const event: Progress["event"] = (event, fields = {}) => {
    // Clears the bar's line first; the bar redraws below on its next update.
    stream.write(`\r\x1b[K${JSON.stringify({ event, ...fields })}\n`);
  };
  return {
    start(total) {
      expected = total;
      startBar();
    },
    // Started again: the count read starts from zero (the job regroups), the rate from now.
    restart: startBar,
    update(counts) {
      const elapsedSeconds = (now() - started) / 1000;
      bar.update(counts.patientsRead, {
        scored: counts.scored,
        resources: counts.resources,
        rate: displayedRate(counts.patientsRead, elapsedSeconds),
        etaText: etaText(etaSeconds(expected, counts.patientsRead, elapsedSeconds)),
      });
    },
    event,
    grouping: groupingEvents(event, now),
    stop: () => bar.stop(),
  };
}
