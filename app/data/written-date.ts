/**
 * A record's date as the record writes it, for the clinician: a dateTime's own calendar day (its
 * first 10 characters, in the time zone it was written in), a year or a month as given. The
 * model's rules count UTC days instead (shared/fhir-dates.ts, parseFhirDay), so an event at
 * 21:36-04:00 is counted on the next day; the app shows the day the record says and names the
 * counted day beside it where the two differ (views/RecordList.tsx).
 */

/** The written date of a valid FHIR date, dateTime or instant (the caller checks it with
 * parseFhirDay): YYYY, YYYY-MM or YYYY-MM-DD. */
export function writtenDate(value: string): string {
  return value.slice(0, 10);
}

