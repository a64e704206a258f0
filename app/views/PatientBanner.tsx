/** The patient banner, shown when the EHR says it does not show its own (need_patient_banner), in a
 * landmark of its own. */
import type { Patient } from "fhir/r4";
import { words } from "../../shared/concept-name.ts";
import { asArray, firstObject } from "../../shared/features/fhir-read.ts";
import { IsoDate } from "./IsoDate.tsx";

/** The EHR's JSON, whatever its type says: only strings are shown (React cannot render an object,
 * and an error here would take the whole app down with it). */
export function displayName(patient: Patient): string {
  const name = firstObject(patient.name);
  if (name === undefined) return "";
  const parts = [...asArray(name.given), name.family].map(words).filter((part) => part !== undefined);
  return words(name.text) ?? parts.join(" ");
}

export function PatientBanner({ patient }: { patient?: Patient }) {
  if (patient === undefined) return null;
  // The EHR's JSON, whatever its type says: a null (or a number) is no birth date to show.
  const birthDate = typeof patient.birthDate === "string" && patient.birthDate !== "" ? patient.birthDate : null;
  // A landmark of its own, named "Patient" (a region: the page's one banner landmark is its title,
  // index.html's <header>, and a second would be a duplicate), so that the banner is not content
  // outside every landmark (axe's "region"). The section adds no style: the line looks as before.
  return (
    <section aria-label="Patient" data-testid="patient-banner-region">
      <p className="banner" data-testid="patient-banner">
        {/* bdi: a right-to-left mark in the name must not reorder the rest of the line. */}
        <strong><bdi>{displayName(patient) || "(no name)"}</bdi></strong> · <bdi>{words(patient.gender) ?? "sex unknown"}</bdi> · born {birthDate === null ? "unknown" : <IsoDate date={birthDate} />}
      </p>
    </section>
  );
}
