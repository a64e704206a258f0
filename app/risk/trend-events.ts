/**
 * The events marked on the trend: the kinds of record that move this model's risk, at the
 * month where they first count. A record dated D counts from the first index date after D (the
 * features use what is dated before the index date). "New" means none of the same kind shortly
 * before, so a chronic diagnosis coded at every visit or a repeat prescription is one event.
 */
import { parseFhirDay } from "../../shared/fhir-dates.ts";
import type { Resource } from "fhir/r4";
import { recordsByDriver, type RecordRef } from "./driver-records.ts";
import type { TrendPoint } from "./risk-trend.ts";
import { formatBmi } from "./what-if.ts";

export interface TrendEvent {
  date: string;
  label: string;
  /** The trend point from which the event counts. */
  pointIndex: number;
}

/** An event as the trend's table and the chart's tooltip write it: "Knee pain (2024-01-20)". */
export const eventText = (event: TrendEvent): string => `${event.label} (${event.date})`;

interface EventKind {
  driverKey: string;
  label: string;
  /** Days without a record of this kind before one counts as new. */
  quietDays: number;
}

const EVENT_KINDS: readonly EventKind[] = [
  // Knee pain moves this model's risk most (the months before a diagnosis), and a knee injury
  // with it. The model counts every day a visit codes them (models/FEATURES.md section 5: a
  // diagnosis channel is the days with evidence in each week, a problem counts again at each visit
  // that codes it), so each new record raises its input however recent the last: every month in
  // which one is recorded is marked (once: the first record of the month), or the trend's largest
  // jumps are credited to the prescriptions written at the same visits.
  { driverKey: "diagnosis:knee_injury", label: "Knee injury", quietDays: 0 },
  { driverKey: "diagnosis:knee_pain", label: "Knee pain", quietDays: 0 },
  { driverKey: "diagnosis:obesity", label: "Obesity diagnosis", quietDays: 365 },
  { driverKey: "medication:nsaid_oral", label: "New oral NSAID course", quietDays: 90 },
  { driverKey: "medication:nsaid_topical", label: "New topical NSAID course", quietDays: 90 },
  { driverKey: "medication:paracetamol", label: "New paracetamol course", quietDays: 90 },
  { driverKey: "medication:opioid", label: "New opioid course", quietDays: 90 },
];

/** A change of stated BMI smaller than this is measurement noise, not an event. */
const BMI_CHANGE = 1;

/** Nothing counts at a date before the record starts ("no-record"), so an event dated before it
 * (an old onset written into the record later) counts from the first date with a record. */
function firstPointAfter(points: readonly TrendPoint[], date: string): number {
  return points.findIndex((p) => p.indexDate > date && p.state !== "no-record");
}

function newEvents(refs: readonly RecordRef[], kind: EventKind): { date: string; label: string }[] {
  const days = [...new Set(refs.map((r) => r.date).filter((d): d is string => d !== null))].sort();
  return days
    .filter((date, i) => i === 0 || (parseFhirDay(date) as number) - (parseFhirDay(days[i - 1]) as number) > kind.quietDays)
    .map((date) => ({ date, label: kind.label }));
}

/** Changes between the stated BMIs the builder accepts (statedBmi): a reading it skips as
 * implausible or in an unknown unit never reaches the model, so it is no event. */
function bmiEvents(refs: readonly RecordRef[]): { date: string; label: string }[] {
  const stated = refs
    .flatMap((r) => (r.date !== null && r.statedBmi !== undefined ? [{ date: r.date, bmi: r.statedBmi }] : []))
    .sort((a, b) => a.date.localeCompare(b.date));
  const changes: { date: string; label: string }[] = [];
  stated.forEach((reading, i) => {
    const before = stated[i - 1];
    if (before !== undefined && Math.abs(reading.bmi - before.bmi) >= BMI_CHANGE) {
      changes.push({ date: reading.date, label: `BMI ${formatBmi(reading.bmi)} (was ${formatBmi(before.bmi)})` });
    }
  });
  return changes;
}

/** The events of a record over its trend: from every record of each kind that entered the record
 * before the index date (the "history" scope: the reasons' records hold only what counts now, one
 * BMI among them, and a change needs the reading before). */
export function trendEventsOf(points: readonly TrendPoint[], resources: readonly Resource[], indexDate: string): TrendEvent[] {
  return trendEvents(points, recordsByDriver(resources, indexDate, "history"));
}

export function trendEvents(points: readonly TrendPoint[], records: ReadonlyMap<string, readonly RecordRef[]>): TrendEvent[] {
  const first = points[0]?.indexDate;
  if (first === undefined) return [];
  const events = [
    ...EVENT_KINDS.flatMap((kind) => newEvents(records.get(kind.driverKey) ?? [], kind)),
    ...bmiEvents(records.get("bmi") ?? []),
  ];
  const counted = events
    .filter((e) => e.date >= first)
    .map((e) => ({ date: e.date, label: e.label, pointIndex: firstPointAfter(points, e.date) }))
    .filter((e) => e.pointIndex >= 0)
    .sort((a, b) => a.date.localeCompare(b.date));
  // One event of a kind per month: knee pain at two visits in a month is one mark.
  const marked = new Set<string>();
  return counted.filter((e) => {
    const key = `${e.label}|${e.pointIndex}`;
    if (marked.has(key)) return false;
    marked.add(key);
    return true;
  });
}
