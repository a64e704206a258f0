/**
 * Which DiagnosticReports are imaging reports. The app asks the server for all of a patient's
 * reports (data/record-queries.ts: a `category=` search would lose, on a server that does not code
 * the category, every report it has) and sorts them here. Synthea, for one, writes dozens of
 * laboratory panels (category LAB) and clinical notes (LOINC note categories) as reports.
 *
 * Imaging, by its category (HL7 v2 table 0074, the example binding of R4 DiagnosticReport.category
 * "Diagnostic Service Section Codes"; US Core's DiagnosticReport for Report and Note category
 * LOINC LP29684-5 "Radiology"), or by its reference to the ImagingStudy it reports on. Of table
 * 0074, RAD "Radiology" and also the sections that name an imaging modality (IMG "Diagnostic
 * Imaging", RX "Radiograph", CT "CAT Scan", NMR "Nuclear Magnetic Resonance", ...): a knee
 * radiograph coded RX is an imaging report too. Codes as HL7 lists them (hl7.fhir.r3.core 3.0.2
 * v2-0074 expansion, 45 codes).
 */
import { asArray, asObject, asString } from "../../shared/features/fhir-read.ts";

const V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074";
const LOINC = "http://loinc.org";

const IMAGING_SECTIONS: ReadonlySet<string> = new Set([
  "RAD", // Radiology
  "IMG", // Diagnostic Imaging
  "RX", // Radiograph
  "XRC", // Cineradiograph
  "CT", // CAT Scan
  "NMR", // Nuclear Magnetic Resonance
  "NMS", // Nuclear Medicine Scan
  "RUS", // Radiology Ultrasound
  "VUS", // Vascular Ultrasound
  "OUS", // OB Ultrasound
  "CUS", // Cardiac Ultrasound
]);
/** US Core DiagnosticReport Category "Radiology". */
const LOINC_RADIOLOGY = "LP29684-5";

/**
 * "imaging": a category above, or a reference to an ImagingStudy. "other": a category in table
 * 0074 or LOINC that names something else (LAB, a note): not imaging, and left out without a word,
 * as a clinician expects of an imaging panel. "uncoded": no category in either system (none, text
 * only, or only a local code): it may be an imaging report, so the panel counts what it leaves out.
 */
export type ReportKind = "imaging" | "other" | "uncoded";

/** The kind of a DiagnosticReport as the server sent it; a malformed field counts as absent. */
export function reportKind(report: unknown): ReportKind {
  const json = asObject(report);
  const codings = asArray(json?.category).flatMap((category) => asArray(asObject(category)?.coding).map(asObject));
  let coded = false;
  for (const coding of codings) {
    const system = asString(coding?.system);
    const code = asString(coding?.code);
    if ((system === V2_0074 && code !== undefined && IMAGING_SECTIONS.has(code)) || (system === LOINC && code === LOINC_RADIOLOGY)) return "imaging";
    if ((system === V2_0074 || system === LOINC) && code !== undefined) coded = true;
  }
  if (asArray(json?.imagingStudy).some((reference) => asObject(reference) !== undefined)) return "imaging";
  return coded ? "other" : "uncoded";
}
