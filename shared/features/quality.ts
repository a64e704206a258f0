/** Counts what the feature builder skipped, ignored and could not map (DataQuality). */
import type { ConceptMatch } from "../valuesets.ts";
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

  /**
   * The codings ("system|code") of a concept none of whose codings matched a value set (nor, for
   * a diagnosis, the knee OA outcome): a code the model could not use. A concept matched through
   * one coding was used; its other codings (a local code beside the SNOMED CT or RxNorm one) are
   * not codes the model missed, and listing them would send a site to map codes it need not.
   */
  unmapped(match: ConceptMatch<string> & { kneeOa?: boolean }): void {
    if (match.ids.length > 0 || match.kneeOa === true) return;
    for (const code of match.unmapped) this.unmappedCodes[code] = (this.unmappedCodes[code] ?? 0) + 1;
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
