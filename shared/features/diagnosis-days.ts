/**
 * Diagnosis channels: for each group, the distinct days in each week with evidence of it / 7.
 * Also keeps the earliest knee OA evidence before the index date (the outcome, not a channel).
 */
import { datePrecision, type DatePrecision } from "../fhir-dates.ts";
import type { DiagnosisGroupId } from "../valuesets.ts";
import { DIAGNOSIS_OFFSET, inWindow, type HistoryWindow } from "./history-window.ts";
import { DAYS_PER_WEEK, HISTORY_DAYS, WEEKS } from "./spec.ts";

// Local copies of the layout constants used in hot loops: a read of an imported binding can cost
// a getter call under some module loaders (tsx), a local const never does.
const WEEK_DAYS = DAYS_PER_WEEK;
const WINDOW_WEEKS = WEEKS;

export interface DiagnosisMatch {
  readonly ids: readonly DiagnosisGroupId[];
  readonly kneeOa: boolean;
}

/** The earliest knee OA evidence: its day, and how precisely the record dates it. */
export interface KneeOaEvidence {
  readonly day: number;
  readonly precision: DatePrecision;
}

const PRECISION_RANK: Readonly<Record<DatePrecision, number>> = { year: 0, month: 1, day: 2 };

export class DiagnosisDays {
  /** One flag per (group, day of the window), so repeated evidence on a day counts once. */
  private readonly marks = new Uint8Array(DIAGNOSIS_OFFSET.size * HISTORY_DAYS);
  private readonly rows = new Map<DiagnosisGroupId, number>();
  /** Rows with at least one mark, so empty groups are not scanned. */
  private readonly touched = new Set<number>();
  private kneeOa: KneeOaEvidence | null = null;

  constructor(private readonly window: HistoryWindow) {
    let row = 0;
    for (const id of DIAGNOSIS_OFFSET.keys()) this.rows.set(id, row++ * HISTORY_DAYS);
  }

  /** Evidence of the matched groups on a day, read from the FHIR date `date` (its precision is
   * kept for the knee OA outcome); true when it reached a channel or the outcome. */
  add(match: DiagnosisMatch, day: number, date: string): boolean {
    if (day >= this.window.indexDay) return false;
    let used = false;
    if (match.kneeOa) {
      this.seeKneeOa(day, datePrecision(date));
      used = true;
    }
    if (!inWindow(this.window, day)) return used;
    const dayInWindow = day - this.window.firstDay;
    for (const id of match.ids) {
      const row = this.rows.get(id);
      if (row === undefined) continue;
      this.marks[row + dayInWindow] = 1;
      this.touched.add(row);
      used = true;
    }
    return used;
  }

  /** The earliest knee OA evidence before the index date, if any. */
  kneeOaEvidence(): KneeOaEvidence | null {
    return this.kneeOa;
  }

  /** Keeps the earliest day; on the same day, the most precise date (a `2013` and a `2013-01-01`
   * both fall on 1 January 2013, but only the second says the diagnosis was on that day). */
  private seeKneeOa(day: number, precision: DatePrecision): void {
    const known = this.kneeOa;
    if (known === null || day < known.day || (day === known.day && PRECISION_RANK[precision] > PRECISION_RANK[known.precision])) {
      this.kneeOa = { day, precision };
    }
  }

  /** Writes each group's weekly value (days with evidence / 7) into the sequence. */
  writeTo(sequence: Float32Array): void {
    for (const [id, offset] of DIAGNOSIS_OFFSET) {
      const row = this.rows.get(id);
      if (row === undefined || !this.touched.has(row)) continue;
      for (let week = 0; week < WINDOW_WEEKS; week++) {
        let days = 0;
        const first = row + week * WEEK_DAYS;
        for (let day = first; day < first + WEEK_DAYS; day++) days += this.marks[day] ?? 0;
        if (days > 0) sequence[offset + week] = days / WEEK_DAYS;
      }
    }
  }
}
