/**
 * The list of skipped lines a reader keeps for reports: the MAX_LISTED_SKIPPED_LINES first by
 * place (file name, then line number), not by the moment they were found. The job finds bad
 * lines on several threads at once; ordering by place makes the list the same on every run.
 */
import type { BadLinePolicy } from "./ndjson-lines.ts";
import { increment, MAX_LISTED_SKIPPED_LINES, type PopulationStats } from "./types.ts";

export type SkippedLine = PopulationStats["skippedLines"][number];

function splitPlace(where: string): [string, number] {
  const colon = where.lastIndexOf(":");
  return [where.slice(0, colon), Number(where.slice(colon + 1))];
}

function comparePlaces(a: string, b: string): number {
  const [fileA, lineA] = splitPlace(a);
  const [fileB, lineB] = splitPlace(b);
  if (fileA !== fileB) return fileA < fileB ? -1 : 1;
  return lineA - lineB;
}

/** Adds a line to `list` (kept sorted by place and at most MAX_LISTED_SKIPPED_LINES long). */
export function listSkippedLine(list: SkippedLine[], entry: SkippedLine): void {
  let at = list.length;
  while (at > 0 && comparePlaces(list[at - 1]!.where, entry.where) > 0) at -= 1;
  if (at >= MAX_LISTED_SKIPPED_LINES) return;
  list.splice(at, 0, entry);
  if (list.length > MAX_LISTED_SKIPPED_LINES) list.pop();
}

/** The counts a scoring thread gathered while parsing lines, to add to the reader's stats. */
export type StatsDelta = Pick<PopulationStats, "resourcesByType" | "skipped" | "shared" | "flagged" | "skippedLines">;

export function addStats(into: PopulationStats, delta: StatsDelta): void {
  for (const key of ["resourcesByType", "skipped", "shared"] as const) {
    for (const [name, count] of Object.entries(delta[key])) increment(into[key], name, count);
  }
  for (const [name, count] of Object.entries(delta.flagged ?? {})) increment((into.flagged ??= {}), name, count);
  for (const entry of delta.skippedLines) listSkippedLine(into.skippedLines, entry);
}

/** Bad lines stop the read, or with `skipBadLines` are counted in `stats`, listed and passed to
 * `onBadLine`. Lines read with a caveat (onFlag) are counted in `stats.flagged` and listed, whatever
 * `skipBadLines`: they are read. */
export function countingPolicy(stats: StatsDelta, skipBadLines: boolean, onBadLine?: (where: string, reason: string, read?: boolean) => void): BadLinePolicy {
  return {
    skipBadLines,
    onSkip: (reason, where) => {
      increment(stats.skipped, reason);
      listSkippedLine(stats.skippedLines, { where, reason });
      onBadLine?.(where, reason);
    },
    onFlag: (reason, where) => {
      increment((stats.flagged ??= {}), reason);
      listSkippedLine(stats.skippedLines, { where, reason, read: true });
      onBadLine?.(where, reason, true);
    },
  };
}
