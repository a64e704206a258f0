/**
 * When and how a run scored its input: recorded in the checkpoint with the input report, so that
 * a later run that only writes the outputs again reports the scoring run's figures (summary.html).
 */
export interface RunTiming {
  startedAt: string;
  finishedAt: string;
  seconds: number;
  /** e.g. "single run", "merge of 4 shards". */
  how: string;
}

/** The timing of a run started at `started` and finishing now. */
export function timingSince(started: Date, how: string): RunTiming {
  return { startedAt: started.toISOString(), finishedAt: new Date().toISOString(), seconds: (Date.now() - started.getTime()) / 1000, how };
}
