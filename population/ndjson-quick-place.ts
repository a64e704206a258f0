/**
 * Finding a line's patient without parsing the whole line, for the dry run that checks whether
 * NDJSON files are ordered by patient: a regular expression finds the `subject`, `patient` or
 * `beneficiary` reference of most clinical resources. Lines it cannot settle (Patients,
 * Medications, references that are not plainly to a Patient, no match, more than one patient
 * field) are parsed in full and
 * placed as the real read places them, so the dry run reaches the same answer as a full parse.
 * Cheap lines are not validated here; the real read still reports a bad one by file and line.
 */
import type { Medication } from "fhir/r4";
import { parseNdjsonLine, type BadLinePolicy } from "./ndjson-lines.ts";
import { parseReference, patientIdOf } from "../shared/fhir-references.ts";
import { placeResource } from "./record-assembler.ts";
import { emptyStats, type PopulationStats } from "./types.ts";

/** What the dry run needs of a line. */
export interface QuickItem {
  type: string;
  patientId: string | null;
}

const RESOURCE_TYPE = /^\s*\{\s*"resourceType"\s*:\s*"([A-Za-z]+)"/;
const PATIENT_REFERENCE = /"(?:subject|patient|beneficiary)"\s*:\s*\{[^{}]*?"reference"\s*:\s*"([^"]+)"/;
const NEEDS_FULL_PARSE = new Set(["Patient", "Medication", "Bundle"]);
const PATIENT_KEY = /"(?:subject|patient|beneficiary)"\s*:/g;

/** Whether the line names a patient field exactly once. With two (one in a contained resource,
 * or both `patient` and `subject`), the first in the text need not be the one that decides. */
function hasOnePatientKey(text: string): boolean {
  PATIENT_KEY.lastIndex = 0;
  return PATIENT_KEY.test(text) && !PATIENT_KEY.test(text);
}

/**
 * A placer that fills `medications` as Medication lines pass (the real read's lookup). Lines
 * that belong to no patient are counted in `stats` (shared, or skipped with their reason): no
 * one parses them again. Lines placed on a patient are counted by whoever parses them later
 * (ndjson-patient-lines.ts); the dry run passes scratch stats.
 */
export function quickPlacer(medications: Map<string, Medication>, policy: BadLinePolicy, stats: PopulationStats = emptyStats("ndjson")) {
  return (text: string, file: string, line: number): QuickItem | null => {
    const type = RESOURCE_TYPE.exec(text)?.[1];
    if (type !== undefined && !NEEDS_FULL_PARSE.has(type) && hasOnePatientKey(text)) {
      const target = parseReference(PATIENT_REFERENCE.exec(text)?.[1]);
      if (target !== null && (target.type === null || target.type === "Patient")) return { type, patientId: target.id };
    }
    const resource = parseNdjsonLine(text, file, line, policy);
    if (resource === null) return null;
    const patientId = patientIdOf(resource);
    if (patientId === null) placeResource(resource, stats, medications);
    return { type: resource.resourceType, patientId };
  };
}
