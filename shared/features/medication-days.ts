/**
 * Medication channels: for each class, the drug-days covered in each week, summed over
 * concurrent drugs, / 28, capped at 1. Spans of the same drug are merged first, so overlapping
 * orders of one drug (an early refill, an order and its dispense) count each day once.
 */
import type { MedicationClassId } from "../valuesets.ts";
import { MEDICATION_OFFSET, weekOf, type HistoryWindow } from "./history-window.ts";
import { DAYS_PER_WEEK, WEEKS } from "./spec.ts";

// Local copies of the layout constants used in hot loops: a read of an imported binding can cost
// a getter call under some module loaders (tsx), a local const never does.
const WEEK_DAYS = DAYS_PER_WEEK;
const WINDOW_WEEKS = WEEKS;

/** Drug-days per week that fill a channel: four concurrent drugs for the whole week. */
export const DRUG_DAYS_PER_FULL_WEEK = 28;

export class MedicationDays {
  /** Day spans (start, end inclusive, flattened) per channel offset and drug. */
  private readonly spans = new Map<string, { offset: number; days: number[] }>();

  constructor(private readonly window: HistoryWindow) {}

  /** Coverage of a drug in its classes; true when some of it falls in the window. */
  add(classes: readonly MedicationClassId[], drugKey: string, start: number, end: number): boolean {
    const first = Math.max(start, this.window.firstDay);
    const last = Math.min(end, this.window.indexDay - 1);
    if (first > last) return false;
    let used = false;
    for (const id of classes) {
      const offset = MEDICATION_OFFSET.get(id);
      if (offset === undefined) continue;
      const key = `${offset}|${drugKey}`;
      let entry = this.spans.get(key);
      if (entry === undefined) this.spans.set(key, (entry = { offset, days: [] }));
      entry.days.push(first, last);
      used = true;
    }
    return used;
  }

  /** Writes each class's weekly value into the sequence. */
  writeTo(sequence: Float32Array): void {
    const touched = new Set<number>();
    for (const { offset, days } of this.spans.values()) {
      for (const [start, end] of mergeSpans(days)) {
        this.addDrugDays(sequence, offset, start, end);
        touched.add(offset);
      }
    }
    for (const offset of touched) {
      for (let cell = offset; cell < offset + WINDOW_WEEKS; cell++) {
        const drugDays = sequence[cell] ?? 0;
        if (drugDays > 0) sequence[cell] = Math.min(1, drugDays / DRUG_DAYS_PER_FULL_WEEK);
      }
    }
  }

  /** Adds the days start..end (inclusive) to their weeks as drug-day counts. */
  private addDrugDays(sequence: Float32Array, offset: number, start: number, end: number): void {
    let day = start;
    while (day <= end) {
      const week = weekOf(this.window, day);
      const weekEnd = this.window.firstDay + (week + 1) * WEEK_DAYS - 1;
      const last = Math.min(end, weekEnd);
      const cell = offset + week;
      sequence[cell] = (sequence[cell] ?? 0) + (last - day + 1);
      day = last + 1;
    }
  }
}

/** Sorted, merged [start, end] spans from flattened pairs. */
function mergeSpans(days: readonly number[]): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < days.length; i += 2) pairs.push([days[i] ?? 0, days[i + 1] ?? 0]);
  pairs.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const pair of pairs) {
    const last = merged[merged.length - 1];
    if (last !== undefined && pair[0] <= last[1] + 1) last[1] = Math.max(last[1], pair[1]);
    else merged.push([pair[0], pair[1]]);
  }
  return merged;
}
