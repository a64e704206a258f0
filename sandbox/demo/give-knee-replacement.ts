/**
 * The simulator writes no Procedure, but the demo must show what the card, the app and the
 * population list say when a knee replacement is on record (shared/knee-replaced.ts). This gives
 * one simulated patient a completed total knee replacement, performed a fixed time before the end
 * date, and changes nothing else: the model reads no Procedure, so the patient's risk stays as
 * simulated, and a patient without a knee OA code shows its risk with the caveat.
 */
import type { Procedure, Resource } from "fhir/r4";
import { dayToIsoDate, parseCalendarDay } from "../../shared/fhir-dates.ts";
import { SYSTEM } from "../../shared/valuesets.ts";

/** About two years: long enough to be history, the same for every end date (no 29 February rule). */
const DAYS_BEFORE_END = 730;

/** A SNOMED CT and a CPT code of KNEE_REPLACED (shared/valuesets/knee-replaced.ts), displays as there. */
const TOTAL_KNEE_REPLACEMENT = {
  coding: [
    { system: SYSTEM.snomed, code: "609588000", display: "Total knee replacement" },
    { system: SYSTEM.cpt, code: "27447", display: "Arthroplasty, knee, condyle and plateau, medial and lateral compartments (total knee arthroplasty)" },
  ],
  text: "Total knee replacement",
};

export function giveKneeReplacement(resources: readonly Resource[], endDate: string): Resource[] {
  const patientId = resources.find((r) => r.resourceType === "Patient")?.id;
  if (patientId === undefined) throw new Error("giveKneeReplacement: the record has no Patient with an id");
  const endDay = parseCalendarDay(endDate);
  if (endDay === null) throw new Error(`giveKneeReplacement: end date must be YYYY-MM-DD, got "${endDate}"`);
  const procedure: Procedure = {
    resourceType: "Procedure",
    // The simulator's ids are UUIDs (models/cohort/ids.ts, 36 characters) and its imaging results
    // end in `-i<n>-...`: this suffix is neither, and keeps the id within FHIR's 64 characters.
    id: `${patientId}-knee-replacement`,
    status: "completed",
    // Relative, as the simulator writes it: the shared ownership rule (shared/patient-compartment.ts)
    // and the sandbox FHIR server's compartments then give it to this patient.
    subject: { reference: `Patient/${patientId}` },
    code: TOTAL_KNEE_REPLACEMENT,
    performedDateTime: dayToIsoDate(endDay - DAYS_BEFORE_END),
  };
  return [...resources, procedure];
}
