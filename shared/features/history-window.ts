/**
 * The observation window: the HISTORY_DAYS (156 weeks) that end the day before the index date,
 * as UTC day numbers, and the mapping of a day to its week and channel cell.
 */
import { CHANNELS, DAYS_PER_WEEK, HISTORY_DAYS, WEEKS } from "./spec.ts";
import type { DiagnosisGroupId, MedicationClassId } from "../valuesets.ts";

// A local copy: weekOf runs per covered week, and an imported binding may be read through a getter.
const WEEK_DAYS = DAYS_PER_WEEK;

export interface HistoryWindow {
  /** The index day; it and every later day are invisible to the features. */
  readonly indexDay: number;
  /** The first day of week 0. */
  readonly firstDay: number;
}

export function historyWindow(indexDay: number): HistoryWindow {
  return { indexDay, firstDay: indexDay - HISTORY_DAYS };
}

/** Week 0..WEEKS-1 of a day inside the window. */
export function weekOf(window: HistoryWindow, day: number): number {
  return Math.floor((day - window.firstDay) / WEEK_DAYS);
}

export function inWindow(window: HistoryWindow, day: number): boolean {
  return day >= window.firstDay && day < window.indexDay;
}

function channelOffsets<Id extends string>(kind: "diagnosis" | "medication"): ReadonlyMap<Id, number> {
  const offsets = new Map<Id, number>();
  CHANNELS.forEach((channel, index) => {
    if (channel.kind === kind) offsets.set(channel.id as Id, index * WEEKS);
  });
  return offsets;
}

/** Offset of a channel's first week in the channel-major sequence. */
export const DIAGNOSIS_OFFSET: ReadonlyMap<DiagnosisGroupId, number> = channelOffsets("diagnosis");
export const MEDICATION_OFFSET: ReadonlyMap<MedicationClassId, number> = channelOffsets("medication");
