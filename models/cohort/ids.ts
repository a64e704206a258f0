/**
 * Deterministic resource ids: UUID-shaped (version 4 layout) strings drawn from a seeded stream,
 * so the same seed gives the same ids and different patients never share one in practice
 * (122 random bits per id).
 */
import type { Random } from "./random.ts";

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hex32(x: number): string {
  return (HEX[(x >>> 24) & 255] as string) + HEX[(x >>> 16) & 255] + HEX[(x >>> 8) & 255] + HEX[x & 255];
}

/** The next id of a stream, formatted as a version 4, variant 1 UUID. */
export function nextUuid(rng: Random): string {
  const a = rng.nextUint32();
  const b = (rng.nextUint32() & 0xffff0fff) | 0x00004000;
  const c = (rng.nextUint32() & 0x3fffffff) | 0x80000000;
  const d = rng.nextUint32();
  const bh = hex32(b);
  const ch = hex32(c);
  return `${hex32(a)}-${bh.slice(0, 4)}-${bh.slice(4)}-${ch.slice(0, 4)}-${ch.slice(4)}${hex32(d)}`;
}
