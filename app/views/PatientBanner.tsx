/** The patient banner, shown when the EHR says it does not show its own (need_patient_banner). */
import type { Patient } from "fhir/r4";
import { IsoDate } from "./IsoDate.tsx";

export function displayName(patient: Patient): string {
  const name = patient.name?.[0];
  return name?.text ?? [...(name?.given ?? []), name?.family ?? ""].join(" ").trim();
}

export function PatientBanner({ patient }: { patient?: Patient }) {
  if (patient === undefined) return null;
  // The EHR's JSON, whatever its type says: a null (or a number) is no birth date to show.
  const birthDate = typeof patient.birthDate === "string" && patient.birthDate !== "" ? patient.birthDate : null;
  return (
    <p className="banner" data-testid="patient-banner" aria-label="Patient">
      <strong>{displayName(patient) || "(no name)"}</strong> · {patient.gender ?? "sex unknown"} · born {birthDate === null ? "unknown" : <IsoDate date={birthDate} />}
    </p>
  );
}
