/**
 * The records behind a reason or event, one line each: date, type, the record's name for what
 * it holds (shared/concept-name.ts: the concept's text, else a coding's display, else a code
 * with its system) and the value the model read, if any. The date is the one the record writes;
 * where the model counts the record on another day (its UTC day, a year's or month's first day),
 * the line names that day too, the day the trend's events are dated by.
 */
import { conceptName } from "../../shared/concept-name.ts";
import type { RecordRef } from "../risk/driver-records.ts";
import { DatedText, IsoDate } from "./IsoDate.tsx";

const SHOWN = 8;

export function RecordList({ refs }: { refs: readonly RecordRef[] }) {
  return (
    <ul className="records">
      {refs.slice(0, SHOWN).map((ref, i) => (
        <li key={`${ref.resourceType}/${ref.id}/${i}`}>
          {/* A Patient has no clinical date by nature: "undated" would read as a gap in the record. */}
          {(ref.date !== null || ref.resourceType !== "Patient") && (
            <span className="date">{ref.date === null ? "undated" : <IsoDate date={ref.writtenDate ?? ref.date} />} </span>
          )}
          {/* bdi: the record's own words, which may hold right-to-left marks, must not reorder ours. */}
          {ref.resourceType}: <bdi>{conceptName({ text: ref.text, coding: ref.codings }) ?? "(no code)"}</bdi>
          {/* A value may be a date: a Patient's birth date. */}
          {ref.value !== undefined && <> = <bdi><DatedText text={ref.value} /></bdi></>}
          {ref.writtenDate !== undefined && ref.date !== null && (
            <span className="date">
              {" "}
              (counted as <IsoDate date={ref.date} /> UTC by the model)
            </span>
          )}
        </li>
      ))}
      {refs.length > SHOWN && <li>and {refs.length - SHOWN} older records</li>}
    </ul>
  );
}
