/**
 * Remembers JWT ids so a captured token cannot be replayed. Every id is kept for the same span
 * (the longest time any accepted token stays acceptable: max token age plus clock skew on both
 * sides), so insertion order is expiry order and eviction is a walk from the front.
 * Bounded: when full, the oldest ids go first; size it for peak calls per second x span.
 * Memory only, so lost on restart: the service itself persists ids (sqlite-replay-cache.ts,
 * postgres-replay-cache.ts); this one serves the sandbox and tests that pass no store.
 */
/** What the JWT verifier needs from a replay cache (here, SQLite or PostgreSQL). */
export interface ReplayGuard {
  /**
   * Records the id; false when it was seen within the span. Rejects with StorageUnavailable when
   * the store cannot answer: the caller must then refuse the call (fail closed).
   */
  remember(id: string): Promise<boolean>;
}

export class ReplayCache implements ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async remember(id: string): Promise<boolean> {
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
