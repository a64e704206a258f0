/** The patient banner, shown when the EHR says it does not show its own (need_patient_banner). */
import type { Patient } from "fhir/r4";

export function displayName(patient: Patient): string {
  const name = patient.name?.[0];
  return name?.text ?? [...(name?.given ?? []), name?.family ?? ""].join(" ").trim();
}

export function PatientBanner({ patient }: { patient?: Patient }) {
  if (patient === undefined) return null;
  return (
    <p className="banner" data-testid="patient-banner" aria-label="Patient">
      <strong>{displayName(patient) || "(no name)"}</strong> · {patient.gender ?? "sex unknown"} · born <span className="nowrap">{patient.birthDate ?? "unknown"}</span>
    </p>
  );
}
