/**
 * Time limits on each request of the Bulk Data client, so that a server that stops answering (or
 * sends a byte a minute) cannot hang a run forever. Two kinds, as the requests differ:
 *
 * - `timed`: the small requests (smart-configuration, the token, the kick-off, each status poll,
 *   the DELETE, --post-group's PUT), each try given up when its whole answer, body included, has
 *   not come within a time limit. Their answers are a few kilobytes: any time past that is a
 *   server that is not answering.
 * - `idleTimeout`: a file's download, given up when no byte has come for a while. A file may take
 *   hours to come in full, so only silence says the server has stopped sending.
 *
 * Either ends the try with TimedOut, which the retry loop (retrying-fetch.ts answerOf) counts as a
 * fault, like a dropped connection: retried, `attempts` in a row ending the request.
 */

/** The small requests' limit: a minute, far past what a healthy server's answer of a few kilobytes takes. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
/** A download's silence limit: five minutes, for servers that write a file as they send it and
 * may pause between resources (a slow database page); it is no byte at all for that long. */
export const DEFAULT_DOWNLOAD_IDLE_MS = 300_000;

/** "200 ms", "60 s": a limit as the messages say it. */
export const durationText = (ms: number): string => (ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`);

/** A try given up for its time limit; its message is "WHAT: WHY", `why` alone for the retry log. */
export class TimedOut extends Error {
  override name = "TimedOut";
  constructor(
    what: string,
    readonly why: string,
    options?: ErrorOptions,
  ) {
    super(`${what}: ${why}`, options);
  }
}

/**
 * Runs `run` (a fetch given `signal`, and the reading of its answer) and gives it `ms` in all:
 * past that the fetch is aborted (its connection closed) and TimedOut thrown, whatever the abort
 * made `run` throw.
 */
export async function timed<T>(what: string, ms: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const signal = AbortSignal.timeout(ms);
  try {
    return await run(signal);
  } catch (error) {
    if (signal.aborted) throw new TimedOut(what, `no complete answer within ${durationText(ms)}`, { cause: error });
    throw error;
  }
}

/** A download's silence timer: `touch` on every byte that comes; `stop` once it is over. */
export interface IdleTimer {
  /** Given to fetch: aborted after `ms` without a touch. */
  signal: AbortSignal;
  touch(): void;
  stop(): void;
  /** Whether the timer fired (the try is then to be reported as TimedOut, not as the abort's error). */
  readonly fired: boolean;
}

/** A silence timer of `ms`, running from now (the request is about to be sent: no answer at all is silence too). */
export function idleTimeout(ms: number): IdleTimer {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no data for ${durationText(ms)}`)), ms);
  let stopped = false;
  return {
    signal: controller.signal,
    // refresh() restarts the same timer: no new timer per chunk of a file of gigabytes. Not once
    // stopped or fired: refresh() would arm it again.
    touch: () => void (stopped || controller.signal.aborted || timer.refresh()),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
    get fired() {
      return controller.signal.aborted;
    },
  };
}
