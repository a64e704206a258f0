/** Counts what the feature builder skipped, ignored and could not map (DataQuality). */
import type { DataQuality } from "./types.ts";

export class QualityLog {
  private resourcesUsed = 0;
  private ignoredOnOrAfterIndex = 0;
  private readonly skipped: Record<string, number> = {};
  private readonly unmappedCodes: Record<string, number> = {};

  /** A resource left out, with a reason that names its type, e.g. "Condition: no code". */
  skip(resourceType: string, reason: string): void {
    const key = `${resourceType}: ${reason}`;
    this.skipped[key] = (this.skipped[key] ?? 0) + 1;
  }

  /** Codings ("system|code") that matched no value set. */
  unmapped(codes: readonly string[]): void {
    for (const code of codes) this.unmappedCodes[code] = (this.unmappedCodes[code] ?? 0) + 1;
  }

  /** A resource dated on or after the index date. */
  afterIndex(): void {
    this.ignoredOnOrAfterIndex += 1;
  }

  used(count = 1): void {
    this.resourcesUsed += count;
  }

  result(): DataQuality {
    return {
      resourcesUsed: this.resourcesUsed,
      skipped: this.skipped,
      unmappedCodes: this.unmappedCodes,
      ignoredOnOrAfterIndex: this.ignoredOnOrAfterIndex,
    };
  }
}
