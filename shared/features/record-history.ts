/** Years of recorded history: from the earliest dated resource before the index date. */

/** Years of history beyond which the feature saturates (the window is 3 years long). */
export const MAX_HISTORY_YEARS = 3;
const DAYS_PER_YEAR = 365.25;

export class RecordHistory {
  private earliest: number | null = null;

  constructor(private readonly indexDay: number) {}

  /** Notes a resource's record day; days on or after the index date are ignored. */
  see(day: number): void {
    if (day < this.indexDay && (this.earliest === null || day < this.earliest)) this.earliest = day;
  }

  /** Years from the earliest record day to the index date, capped at MAX_HISTORY_YEARS. */
  years(): number {
    if (this.earliest === null) return 0;
    return Math.min(MAX_HISTORY_YEARS, (this.indexDay - this.earliest) / DAYS_PER_YEAR);
  }
}
