/**
 * `--shard i/N`: which patients a shard scores. The hash of the patient id decides, so every
 * shard reads the same input and the shards together score each patient exactly once, whatever
 * the order of the files.
 */
import { createHash } from "node:crypto";

export interface Shard {
  index: number;
  count: number;
}

export const WHOLE_POPULATION: Shard = { index: 0, count: 1 };

/** Parses "i/N" (0 <= i < N); null when the text is not of that form. */
export function parseShard(text: string): Shard | null {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (match === null) return null;
  const index = Number(match[1]);
  const count = Number(match[2]);
  return count >= 1 && index < count ? { index, count } : null;
}

/** The shard of a patient id: the first 32 bits of its SHA-256, modulo N. */
export function shardOf(patientId: string, count: number): number {
  return createHash("sha256").update(patientId).digest().readUInt32BE(0) % count;
}

export function inShard(patientId: string, shard: Shard): boolean {
  return shard.count === 1 || shardOf(patientId, shard.count) === shard.index;
}
