/** Sex and age at the index date from the Patient resource. */
import { completedYears, parseFhirDay } from "../fhir-dates.ts";
import { asString, type JsonObject } from "./fhir-read.ts";
import type { QualityLog } from "./quality.ts";
import type { Sex } from "./types.ts";

export interface Demographics {
  sex: Sex;
  /** Completed years at the index date; null without a valid birthDate. A partial birthDate
   * (`1960`, `1960-04`) is read as its first day, so the age may be up to a year too high. */
  ageYears: number | null;
}

const SEXES: ReadonlySet<string> = new Set(["female", "male", "other", "unknown"]);

export function readDemographics(patient: JsonObject | undefined, indexDay: number, quality: QualityLog): Demographics {
  if (patient === undefined) return { sex: "unknown", ageYears: null };
  const gender = asString(patient.gender);
  const sex = gender !== undefined && SEXES.has(gender) ? (gender as Sex) : "unknown";
  if (patient.birthDate === undefined) return { sex, ageYears: null };
  const birthDay = parseFhirDay(patient.birthDate);
  if (birthDay === null) {
    quality.skip("Patient", "invalid birthDate");
    return { sex, ageYears: null };
  }
  return { sex, ageYears: completedYears(birthDay, indexDay) };
}
