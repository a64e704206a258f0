/**
 * Time limits on each request of the Bulk Data client, so that a server that stops answering (or
 * sends a byte a minute) cannot hang a run forever. Two kinds, as the requests differ:
 *
 * - `timed`: the small requests (smart-configuration, the token, the kick-off, each status poll,
 *   the DELETE, --post-group's PUT), each try given up when its whole answer, body included, has
 *   not come within a time limit. Their answers are a few kilobytes: any time past that is a
 *   server that is not answering.
 * - a file's download (bulk-export.ts), given up when no byte has come for a while: a
 *   `requestClock` touched by every byte. A file may take hours to come in full, so only silence
 *   says the server has stopped sending.
 *
 * Either ends the try with TimedOut, which the retry loop (retrying-fetch.ts answerOf) counts as a
 * fault, like a dropped connection: retried, `attempts` in a row ending the request. Only the
 * request is timed, not the getting of its token: fetchWithToken stops the clock while it waits
 * for the token, whose own request has its own limit and retries, and whose failure is the
 * request's failure as it is (TokenFailed), not a fault to retry again.
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
 * A request's clock: its `signal`, given to fetch, is aborted once the clock has run `ms` from its
 * (last) start or touch. Stopped, it does not run: fetchWithToken (backend-services-token.ts)
 * stops it while it gets the token and starts it again once the token is in hand, so that a slow
 * token endpoint (whose request has its own limit and retries) is never taken for a slow server.
 */
export interface RequestClock {
  /** Given to fetch: aborted when the clock runs out. */
  readonly signal: AbortSignal;
  /** Starts the clock from now (again, if it ran); nothing once it has fired. */
  start(): void;
  /** Stops it without aborting anything (until a start). */
  stop(): void;
  /** Starts a running clock again from now (a download's byte came); nothing on a stopped or fired one. */
  touch(): void;
  /**
   * Whether `error` is what this clock's abort made the request throw: its abort reason (what
   * fetch and a body's reading reject with), or an AbortError or TimeoutError once it fired. Any
   * other error is the request's own, even one thrown after the clock ran out: a token endpoint's
   * refusal, a 404, a disk that cannot be written are not a time limit.
   */
  owns(error: unknown): boolean;
}

/** Thrown into the request by its clock's abort (RequestClock.owns knows it by identity). */
class ClockRanOut extends Error {
  override name = "TimeoutError";
}

/** A clock of `ms`, stopped until `start`. */
export function requestClock(ms: number): RequestClock {
  const controller = new AbortController();
  const reason = new ClockRanOut(`no answer within ${durationText(ms)}`);
  let timer: ReturnType<typeof setTimeout> | null = null;
  const stop = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return {
    signal: controller.signal,
    start: () => {
      stop();
      if (!controller.signal.aborted) timer = setTimeout(() => controller.abort(reason), ms);
    },
    stop,
    // refresh() restarts the same timer: no new timer per chunk of a file of gigabytes. Not once
    // stopped or fired: refresh() would arm it again.
    touch: () => void (timer === null || controller.signal.aborted || timer.refresh()),
    owns: (error) => {
      if (!controller.signal.aborted) return false;
      for (let seen: unknown = error, depth = 0; seen instanceof Error && depth < 5; seen = seen.cause, depth++) {
        if (seen === reason) return true;
      }
      return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
    },
  };
}

/**
 * Runs `run` (a fetch given `signal`, and the reading of its answer) and gives it `ms` in all,
 * from now or, given `clock` to fetchWithToken, from when the token is in hand: past that the
 * fetch is aborted (its connection closed) and TimedOut thrown instead of what the abort made
 * `run` throw. Whatever else `run` throws is thrown as it is, also after the time limit.
 */
export async function timed<T>(what: string, ms: number, run: (signal: AbortSignal, clock: RequestClock) => Promise<T>): Promise<T> {
  const clock = requestClock(ms);
  clock.start();
  try {
    return await run(clock.signal, clock);
  } catch (error) {
    if (clock.owns(error)) throw new TimedOut(what, `no complete answer within ${durationText(ms)}`, { cause: error });
    throw error;
  } finally {
    clock.stop();
  }
}
