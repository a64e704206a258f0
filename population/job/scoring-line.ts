/**
 * The line a scoring run ends with on stdout: what it scored, how fast; or, when an earlier run had
 * scored the whole input, that run's figures (this one only wrote the outputs again).
 */
import { displayedRate } from "./progress.ts";
import type { JobResult } from "./run-job.ts";

export function describeScoring(result: JobResult): string {
  const earlier = result.scoredEarlier;
  if (earlier !== null) return `${result.patients} patients, already scored by the run of ${earlier.startedAt} (${earlier.seconds.toFixed(1)} s): outputs written again, nobody scored`;
  // The patients an earlier run stored include some it did not score: a part of the patients, not of the scored.
  // Ids known only from references are stored too (not scored), but are no patients.
  const orphans = result.orphanReferences;
  const referenced = orphans === 0 ? "" : `, ${orphans} patient ${orphans === 1 ? "id" : "ids"} referenced with no Patient resource (not counted as patients)`;
  const resumed = result.resumed === 0 ? "" : `, ${result.resumed} of the ${result.patients + orphans} stored by an earlier run,`;
  return (
    `${result.patients} patients (${result.scored} scored)${referenced}${resumed} in ${result.seconds.toFixed(1)} s, ` +
    `${displayedRate(result.patients, result.seconds)} patients/s; outputs written in ${result.outputSeconds.toFixed(1)} s`
  );
}
