/**
 * Seeded pseudo-random numbers for the simulator: small, fast and identical on every platform.
 *
 * Each patient gets independent streams derived from (seed, patient number, purpose), so one
 * patient's draws never depend on another's and the latent state does not move when the code
 * that writes the record changes.
 */

/** What a stream is used for; each purpose gets its own sequence. */
export const STREAM = { latent: 1, record: 2, ids: 3, calibration: 4, indexDates: 5, imaging: 6 } as const;

/** 32-bit integer hash (lowbias32 by C. Wellons): spreads nearby seeds far apart. */
export function hash32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A seeded generator (sfc32) with the distributions the simulator needs. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  constructor(seed: number, patient: number, purpose: number) {
    this.a = hash32(seed ^ 0x9e3779b9);
    this.b = hash32(this.a ^ patient);
    this.c = hash32(this.b ^ Math.imul(purpose + 1, 0x85ebca6b));
    this.d = hash32(this.c ^ patient ^ 0x27d4eb2f);
    // Discard the first outputs: sfc32 needs a few rounds to mix a fresh state.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform on [0, 1). */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.uniform() < p;
  }

  /** Integer uniform on [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.uniform() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.uniform() * items.length)];
    if (item === undefined) throw new Error("Random.pick: empty list");
    return item;
  }

  /** A key of `shares` chosen with probability proportional to its share. */
  weighted<K extends string>(shares: Readonly<Record<K, number>>): K {
    const keys = Object.keys(shares) as K[];
    let total = 0;
    for (const k of keys) total += shares[k];
    let u = this.uniform() * total;
    for (const k of keys) {
      u -= shares[k];
      if (u < 0) return k;
    }
    return keys[keys.length - 1] as K;
  }

  /** Standard normal (Box-Muller, the second value kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    const u = 1 - this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Exponential with mean 1. */
  exponential(): number {
    return -Math.log(1 - this.uniform());
  }

  /** Gamma with an integer shape (sum of exponentials) and the given mean. */
  gammaIntegerShape(shape: number, mean: number): number {
    let sum = 0;
    for (let i = 0; i < shape; i++) sum += this.exponential();
    return (sum * mean) / shape;
  }
}
