/**
 * Finding an NDJSON line's patient without parsing the line, for the merge join (its dry run
 * that checks whether the files are ordered by patient, and the real join, which leaves the
 * parsing to whoever assembles the patient's record): regular expressions find the resource
 * type at the start of the line and its one `subject`, `patient` or `beneficiary` reference.
 * Lines it cannot settle (Patients, Medications, references that are not plainly to a Patient,
 * no match, more than one patient field) are parsed in full and placed as a full read places
 * them, so the quick placement reaches the same answer as a full parse. Cheaply placed lines are
 * not validated here; whoever parses them later reports a bad one by file and line.
 */
import type { Medication, Resource } from "fhir/r4";
import { parseReference, patientIdOf } from "../shared/fhir-references.ts";
import { parseNdjsonBytes, rejectLongLine, type BadLinePolicy } from "./ndjson-lines.ts";
import { LineIdCheck } from "./line-id-check.ts";
import { placeResource } from "./record-assembler.ts";
import { emptyStats, type PopulationStats } from "./types.ts";

/** What the merge join needs of a line. */
export interface QuickItem {
  type: string;
  patientId: string | null;
}

/** A line as placed: the line (ndjson-patient-lines.ts PatientLine) with its type and patient. */
export interface PlacedLine extends QuickItem {
  bytes: Buffer;
  file: string;
  line: number;
}

const RESOURCE_TYPE = /^\s*\{\s*"resourceType"\s*:\s*"([A-Za-z]+)"/;
/** Sticky: tried exactly where the patient field starts. */
const PATIENT_REFERENCE = /"(?:subject|patient|beneficiary)"\s*:\s*\{[^{}]*?"reference"\s*:\s*"([^"]+)"/y;
const NEEDS_FULL_PARSE = new Set(["Patient", "Medication", "Bundle"]);
const PATIENT_KEY = /"(?:subject|patient|beneficiary)"\s*:/g;
const NOT_ASCII = /[^\x00-\x7f]/;

/** Where the line's only patient field starts, or -1 when it has none or more than one (with two,
 * one in a contained resource or both `patient` and `subject`, the first need not decide). */
function onlyPatientField(text: string): number {
  PATIENT_KEY.lastIndex = 0;
  const first = PATIENT_KEY.exec(text);
  if (first === null || PATIENT_KEY.test(text)) return -1;
  return first.index;
}

/** The last reference parsed by a placer, and what it named: a file's lines come patient by
 * patient, so most lines name the patient the line before named. */
interface LastReference {
  text: string;
  target: ReturnType<typeof parseReference>;
  /** The type of the line last placed by quickPatientId. */
  type: string;
}

/** The patient of a plainly placed line (its type left in `last.type`), or undefined when the
 * line needs a full parse. */
function quickPatientId(bytes: Buffer, last: LastReference): string | undefined {
  // Latin-1 maps each byte to one character: a cheap copy in which the ASCII of the JSON syntax
  // reads as itself (UTF-8 never uses ASCII bytes inside a multi-byte character). The line reader
  // hands out no line over MAX_LINE_BYTES, so this string stays far below V8's string limit.
  const text = bytes.toString("latin1");
  const type = RESOURCE_TYPE.exec(text)?.[1];
  if (type === undefined || NEEDS_FULL_PARSE.has(type)) return undefined;
  const field = onlyPatientField(text);
  if (field === -1) return undefined;
  PATIENT_REFERENCE.lastIndex = field;
  const reference = PATIENT_REFERENCE.exec(text)?.[1];
  // A non-ASCII id would need UTF-8 decoding: rare enough to parse the line instead.
  if (reference === undefined || NOT_ASCII.test(reference)) return undefined;
  if (reference !== last.text) {
    last.text = reference;
    last.target = parseReference(reference);
  }
  const target = last.target;
  if (target === null || (target.type !== null && target.type !== "Patient")) return undefined;
  last.type = type;
  return target.id;
}

/**
 * A placer that fills `medications` as Medication lines pass (the real read's lookup). Lines
 * that belong to no patient are counted in `stats` (shared, or skipped with their reason): no
 * one parses them again. Lines placed on a patient are counted by whoever parses them later
 * (ndjson-patient-lines.ts); the dry run passes scratch stats. `beforeShared` sees each
 * resource that belongs to no patient before it is placed (and may throw). The item it gives is
 * the line itself as well (one object a line: the reading thread makes millions). A line the
 * reader found too long (null bytes) is a bad line, per `policy`.
 */
export function quickPlacer(
  medications: Map<string, Medication>,
  policy: BadLinePolicy,
  stats: PopulationStats = emptyStats("ndjson"),
  beforeShared?: (resource: Resource, file: string) => void,
) {
  const last: LastReference = { text: "", target: null, type: "" };
  const ids = new LineIdCheck(policy);
  return (bytes: Buffer | null, file: string, line: number): PlacedLine | null => {
    if (bytes === null) return rejectLongLine(file, line, policy);
    const quick = quickPatientId(bytes, last);
    if (quick !== undefined) return { type: last.type, patientId: quick, bytes, file, line };
    const resource = parseNdjsonBytes(bytes, file, line, policy)?.resource;
    if (resource === undefined) return null;
    const patientId = patientIdOf(resource);
    // Every Patient line passes here (for a Patient listed again, and one without an id: a bad
    // line, which the join then takes as a line of no patient); a line placed on a patient is
    // checked by whoever parses it for the record (ndjson-patient-lines.ts).
    if ((patientId === null || resource.resourceType === "Patient") && !ids.check(resource, file, line)) return null;
    if (patientId === null) {
      beforeShared?.(resource, file);
      placeResource(resource, stats, medications);
    }
    return { type: resource.resourceType, patientId, bytes, file, line };
  };
}
