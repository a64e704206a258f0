/**
 * `npm run population -- merge SHARD_DIR... --out DIR`: combines the stored patients of N finished
 * shard runs (--shard 0/N ... N-1/N) into one state and writes the outputs from it, with the same
 * writer as a single run, so the files equal a single run's (summary.html differs only in its run
 * details). Shards of different runs (input, index date, model, options) are refused.
 */
import { Checkpoint, CheckpointMismatchError, describeDifference, type RunIdentity } from "./checkpoint.ts";
import { lockOut } from "./out-lock.ts";
import type { Selection } from "./outputs/selection.ts";
import { writeOutputs } from "./outputs/write-outputs.ts";
import { POPULATION_RULES_VERSION } from "./rules-version.ts";
import { timingSince } from "./run-timing.ts";
import { WHOLE_POPULATION } from "./shard.ts";

const COPY_BATCH = 2000;

export interface MergeResult {
  files: string[];
  patients: number;
  scored: number;
  /** The shards' --min-age (null: the default), for the command line's warning. */
  minAgeYears: number | null;
}

export function mergeShards(shardDirs: readonly string[], outDir: string, selection: Selection): MergeResult {
  const started = new Date();
  const shards = shardDirs.map((dir) => Checkpoint.openFinished(dir));
  try {
    const identity = checkShards(shardDirs, shards);
    const lock = lockOut(outDir);
    try {
      return { ...mergeInto(outDir, shards, identity, selection, started), minAgeYears: identity.minAgeYears };
    } finally {
      lock.release();
    }
  } finally {
    for (const shard of shards) shard.close();
  }
}

/** Copies the shards' patients into OUT's state (unless a merge already did) and writes the outputs. */
function mergeInto(outDir: string, shards: readonly Checkpoint[], identity: RunIdentity, selection: Selection, started: Date) {
  const input = shards[0]!.inputReport()!;
  const merged = Checkpoint.open(outDir, identity);
  // The merge takes a moment: its own duration alone would read as the population's.
  const shardSeconds = shards.reduce((sum, shard) => sum + (shard.timing()?.seconds ?? 0), 0);
  const how = `merge of ${shards.length} shards; the shards' scoring took ${shardSeconds.toFixed(1)} s in all (started and duration are the merge's)`;
  try {
    if (merged.inputReport() === null) {
      for (const shard of shards) {
        let batch = [];
        for (const patient of shard.byId()) {
          batch.push(patient);
          if (batch.length === COPY_BATCH) {
            merged.add(batch);
            batch = [];
          }
        }
        merged.add(batch);
      }
      merged.finishMerge(input, timingSince(started, how), shards);
    }
    // The figures of the merge that filled the state, as for a run (run-job.ts): every state of
    // this version records them (an older version's shards are refused, checkShards).
    const { files, tally } = writeOutputs(outDir, merged.storedRun(input), selection, merged.timing()!);
    return { files, patients: tally.patients, scored: tally.scored };
  } finally {
    merged.close();
  }
}

/** The identity of the whole run, after checking the shards are 0..N-1 of one run over one input. */
function checkShards(dirs: readonly string[], shards: readonly Checkpoint[]): RunIdentity {
  const identities = shards.map((s) => s.identity());
  const count = shards.length;
  const whole = (identity: RunIdentity): RunIdentity => ({ ...identity, shard: WHOLE_POPULATION });
  const first = whole(identities[0]!);
  identities.forEach((identity, i) => {
    if (JSON.stringify(whole(identity)) !== JSON.stringify(first)) {
      const difference = describeDifference(first, whole(identity), { first: dirs[0]!, second: dirs[i]! });
      throw new CheckpointMismatchError(`${dirs[i]} is a shard of another run than ${dirs[0]}: ${difference}`);
    }
    if (identity.shard.count !== count) throw new CheckpointMismatchError(`${dirs[i]} is shard ${identity.shard.index}/${identity.shard.count}, but ${count} shard folders were given`);
    if (JSON.stringify(shards[i]!.inputReport()) !== JSON.stringify(shards[0]!.inputReport())) {
      throw new CheckpointMismatchError(`${dirs[i]} read a different input than ${dirs[0]}`);
    }
  });
  const indexes = new Set(identities.map((identity) => identity.shard.index));
  if (indexes.size !== count) throw new CheckpointMismatchError(`the folders do not hold shards 0 to ${count - 1} once each`);
  // As a resume is refused (checkpoint.ts): shards scored under other rules must not be mixed
  // into this version's outputs, whose rows they would not match.
  if (first.rules !== POPULATION_RULES_VERSION) {
    const difference = describeDifference(first, { ...first, rules: POPULATION_RULES_VERSION }, { first: "the shards", second: "this Patella" });
    throw new CheckpointMismatchError(`the shards were scored by another version of Patella: ${difference}. Score them again with this version`);
  }
  return first;
}
