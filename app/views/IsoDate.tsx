/**
 * How the app shows a date: one <time> element, which app.css keeps on one line, so that a
 * narrow EHR side panel (360 px) never breaks "2024-03-05" at a hyphen.
 */
import { Fragment } from "react";

/** YYYY, YYYY-MM or YYYY-MM-DD, the precisions the app shows. */
export function IsoDate({ date }: { date: string }) {
  return <time dateTime={date}>{date}</time>;
}

/** An ISO date with a hyphen (YYYY-MM or YYYY-MM-DD); a year alone cannot break. */
const HYPHENATED_DATE = /\b(\d{4}-\d{2}(?:-\d{2})?)\b/;

/** Text built as a string (the trend's sentences, which its text alternative shares; a record's
 * value) with each date in it shown as IsoDate. */
export function DatedText({ text }: { text: string }) {
  // split with a capturing group: the dates are the odd parts.
  return text.split(HYPHENATED_DATE).map((part, i) => (i % 2 === 1 ? <IsoDate key={i} date={part} /> : <Fragment key={i}>{part}</Fragment>));
}
