/**
 * The simulator only makes adults, but the demo must show a patient below the minimum age.
 * This re-dates one simulated patient's birth to `ageYears` before the end date and drops every
 * resource dated before the new birth, so the record stays internally consistent.
 */
import type { Patient, Resource } from "fhir/r4";

const DATE = /^\d{4}-\d{2}-\d{2}/;

/** The earliest calendar date (YYYY-MM-DD) written anywhere in a resource. */
function earliestDate(value: unknown): string | undefined {
  let earliest: string | undefined;
  const visit = (v: unknown): void => {
    if (typeof v === "string") {
      const day = DATE.exec(v)?.[0];
      if (day !== undefined && (earliest === undefined || day < earliest)) earliest = day;
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === "object" && v !== null) Object.values(v).forEach(visit);
  };
  visit(value);
  return earliest;
}

export function makeTooYoung(resources: readonly Resource[], endDate: string, ageYears: number): Resource[] {
  // 29 February has no anniversary in most years; the 28th keeps the date valid.
  const monthDay = endDate.slice(4) === "-02-29" ? "-02-28" : endDate.slice(4);
  const birthDate = `${Number(endDate.slice(0, 4)) - ageYears}${monthDay}`;
  return resources.flatMap((r): Resource[] => {
    if (r.resourceType === "Patient") {
      const patient: Patient = { ...(r as Patient), birthDate };
      return [patient];
    }
    const earliest = earliestDate(r);
    return earliest !== undefined && earliest < birthDate ? [] : [r];
  });
}
