/**
 * What the NDJSON readers say of a line's id, with the line's place (`file:line`), never its
 * content: the rest of the reader keys on ids only where a reference must name the resource.
 *
 * - A Patient without a valid FHIR id names no patient (no reference can name it: its records
 *   would be scored without it): a bad line, skipped, counted as "Patient without a valid FHIR
 *   id" and listed, as before only counted. It is reported whatever `skipBadLines` (it never
 *   stopped a read: it is skipped as it was).
 * - Any other resource without an id is read all the same: a resource is placed on its patient by
 *   its `subject`, `patient` or `beneficiary` reference, not its id, and the feature builder reads
 *   it (it only cannot tell a repeated copy from it, nor can an Encounter or a Medication without
 *   an id be referenced). Dropping a diagnosis would change the risk; it is counted in `flagged`
 *   and listed, so the export can be checked. A Medication without an id is counted among the
 *   shared resources as before, but no reference can name it: its reason says it is not used.
 * - A Patient listed again (the same id on another line, in the same file or another) is read, and
 *   the feature builder keeps one version (shared/features/record-index.ts, "Patient: duplicate
 *   id"): flagged with the later line's place. This needs the ids of the Patients met so far, as the
 *   merge join keeps those it yielded (about 80 bytes each).
 */
import type { Resource } from "fhir/r4";
import { patientIdOf } from "../shared/fhir-references.ts";
import { linePlace } from "./input-file-label.ts";
import type { BadLinePolicy } from "./ndjson-lines.ts";
import { reportedType } from "./reported-type.ts";

export const PATIENT_WITHOUT_ID = "Patient without a valid FHIR id";
export const PATIENT_LISTED_AGAIN = "Patient listed again (an id already read on an earlier line): read, and the feature builder keeps one version";

/** The reason a resource other than a Patient without an id is reported (its type by the
 * reported-type.ts rule: the reason goes to summary.html, the checkpoint and stderr). */
export function withoutIdReason(resourceType: string): string {
  return resourceType === "Medication"
    ? "Medication without an id: no reference can name it, so it is not used"
    : `${reportedType(resourceType)} without an id: read all the same (placed by its patient reference)`;
}

const hasId = (resource: Resource) => typeof resource.id === "string" && resource.id !== "";

/**
 * A line's id check for one read of a folder (the Patients it has met, for "listed again").
 * `check` says whether the line is read: false only for a Patient without a valid id.
 * `checkPatients` false: a reader that sees only some of a file's lines (a scoring thread's
 * patients) checks the ids of other resources only; the one that places every Patient line
 * looks for Patients listed again.
 */
export class LineIdCheck {
  private readonly patientIds = new Set<string>();

  constructor(
    private readonly policy: BadLinePolicy,
    private readonly checkPatients = true,
  ) {}

  check(resource: Resource, file: string, line: number): boolean {
    const where = () => linePlace(file, line);
    if (resource.resourceType !== "Patient") {
      if (!hasId(resource)) this.policy.onFlag?.(withoutIdReason(resource.resourceType), where());
      return true;
    }
    const patientId = patientIdOf(resource);
    if (patientId === null) {
      this.policy.onSkip(PATIENT_WITHOUT_ID, where());
      return false;
    }
    if (!this.checkPatients) return true;
    if (this.patientIds.has(patientId)) this.policy.onFlag?.(PATIENT_LISTED_AGAIN, where());
    else this.patientIds.add(patientId);
    return true;
  }
}
