/** Imaging AI KL grade Observations of one grading, as the optional kneeKlGrades prefetch holds them. */
import type { Observation } from "fhir/r4";
import { buildImagingAiResources } from "../../../shared/imaging/build-resources.ts";
import { PATIENT_ID } from "./hook-requests.ts";

/** The KL grade Observations (one per knee) of a grading on `day` (index date of the hook tests: 2024-06-01). */
export function klObservations(day: string, grades: { left: number; right: number }): Observation[] {
  return buildImagingAiResources({
    idPrefix: `kl-${day}`,
    patientId: PATIENT_ID,
    issued: `${day}T12:00:00Z`,
    studyDate: `${day}T09:00:00Z`,
    algorithm: { name: "Knee KL grader", version: "1", manufacturer: "Example" },
    study: { reference: "ImagingStudy/s1" },
    studyUid: "2.25.1",
    findings: { kind: "kl", knees: [{ side: "left", grade: grades.left }, { side: "right", grade: grades.right }] },
  }).filter((r): r is Observation => r.resourceType === "Observation");
}
