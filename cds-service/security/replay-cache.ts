/**
 * Remembers JWT ids so a captured token cannot be replayed. Every id is kept for the same span
 * (the longest time any accepted token stays acceptable: max token age plus clock skew on both
 * sides), so insertion order is expiry order and eviction is a walk from the front.
 * Bounded: when full, the oldest ids go first; size it for peak calls per second x span.
 * One process only: several worker processes share sqlite-replay-cache.ts instead.
 */
/** What the JWT verifier needs from a replay cache (in memory here, or sqlite-replay-cache.ts). */
export interface ReplayGuard {
  /** Records the id; false when it was seen within the span. */
  remember(id: string): boolean;
}

export class ReplayCache implements ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records the id; false when it was seen within the span. */
  remember(id: string): boolean {
    const now = this.now();
    for (const [oldId, expiresAt] of this.seen) {
      if (expiresAt > now) break;
      this.seen.delete(oldId);
    }
    if (this.seen.has(id)) return false;
    while (this.seen.size >= this.maxEntries) {
      const oldest = this.seen.keys().next().value;
      if (oldest === undefined) break;
      this.seen.delete(oldest);
    }
    this.seen.set(id, now + this.ttlMs);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}
