/** Sex, age and death before the index date from the Patient resource. */
import { completedYears, parseFhirDay } from "../fhir-dates.ts";
import { asString, type JsonObject } from "./fhir-read.ts";
import type { QualityLog } from "./quality.ts";
import { evidenceDay } from "./resource-dates.ts";
import type { Sex } from "./types.ts";

export interface Demographics {
  sex: Sex;
  /** Completed years at the index date; null without a valid birthDate. A partial birthDate
   * (`1960`, `1960-04`) is read as its first day, so the age may be up to a year too high. */
  ageYears: number | null;
  /** deceasedDateTime lies before the index date (a partial date only when its whole period
   * does). deceasedBoolean carries no date, so it cannot be placed before the index: ignored. */
  deceased: boolean;
}

const SEXES: ReadonlySet<string> = new Set(["female", "male", "other", "unknown"]);

export function readDemographics(patient: JsonObject | undefined, indexDay: number, quality: QualityLog): Demographics {
  if (patient === undefined) return { sex: "unknown", ageYears: null, deceased: false };
  const gender = asString(patient.gender);
  const sex = gender !== undefined && SEXES.has(gender) ? (gender as Sex) : "unknown";
  const deceased = deceasedBefore(patient, indexDay, quality);
  // A null birthDate is absent (as every null field is), not invalid.
  if (patient.birthDate === undefined || patient.birthDate === null) return { sex, ageYears: null, deceased };
  const birthDay = parseFhirDay(patient.birthDate);
  if (birthDay === null) {
    quality.skip("Patient", "invalid birthDate");
    return { sex, ageYears: null, deceased };
  }
  return { sex, ageYears: completedYears(birthDay, indexDay), deceased };
}

function deceasedBefore(patient: JsonObject, indexDay: number, quality: QualityLog): boolean {
  const day = evidenceDay(indexDay, patient.deceasedDateTime);
  if (day === "invalid") quality.skip("Patient", "invalid deceasedDateTime");
  return typeof day === "number" && day < indexDay;
}
