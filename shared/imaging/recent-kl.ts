/**
 * The one rule for "a knee KL grade of 2 or more" (radiographic knee OA by the usual
 * Kellgren-Lawrence cut-off, docs/imaging.md): among a patient's valid KL grade Observations
 * (final, amended or corrected; knee, side and grade 0-4 as the reader checks them) dated before
 * the index date (by UTC day, as every other rule counts a day: shared/fhir-dates.ts), each knee's
 * newest grading, and of the two knees the worse, if it is 2 or
 * more. Of any age: radiographic OA does not regress, so a grade 2 of five years ago still says
 * the disease is there (a two-year window once left a High-risk patient with a KL 2 knee of
 * 2021 without the caveat); and per knee, so a newer radiograph of the other knee alone does
 * not hide it. It reads Observations only, so the CDS service can get them with one optional
 * prefetch query. The card mentions it because a radiograph that already shows OA changes
 * what the risk of a diagnosis means.
 */
import { parseFhirDay } from "../fhir-dates.ts";
import { writtenDate } from "../record-dates.ts";
import { KL_GRADE, sameCoding, type Side } from "./codes.ts";
import { klGradeOf } from "./read-results.ts";
import { ObservationSchema } from "./schemas.ts";

/** Radiographic knee OA by the Kellgren-Lawrence definition: grade 2 (definite osteophytes) or more. */
export const KL_OA_THRESHOLD = 2;

const CURRENT_STATUS = new Set(["final", "amended", "corrected"]);

export interface RecentKneeOaGrade {
  grade: number;
  side: Side;
  /** The grading's date as written (YYYY-MM-DD, or a year or month as given): its UTC day can be
   * the next or the day before. */
  date: string;
}

/** Whether a resource's code.coding, as sent, holds the KL grade coding (same test as hasCoding). */
function hasKlGradeCode(resource: unknown): boolean {
  const coding = (resource as { code?: { coding?: unknown } | null }).code?.coding;
  return Array.isArray(coding) && coding.some((c: unknown) => typeof c === "object" && c !== null && sameCoding(c as { system?: string; code?: string }, KL_GRADE));
}

/** Whether a resource is a KL grade Observation as sent (its validity aside): the ones
 * recentKneeOaGrade reads. Also how the population job keeps them for its flag
 * (population/job/job-resource-types.ts), though the model never reads them. */
export function isKlGradeObservation(resource: unknown): boolean {
  return (resource as { resourceType?: unknown } | null)?.resourceType === "Observation" && hasKlGradeCode(resource);
}

export function recentKneeOaGrade(resources: readonly unknown[], indexDate: string): RecentKneeOaGrade | null {
  const indexDay = parseFhirDay(indexDate);
  if (indexDay === null) return null;
  const graded: Grading[] = [];
  for (const resource of resources) {
    // Only KL grade Observations can pass the schema and klGradeOf: the others are skipped
    // before it, because a zod failure builds its list of issues (most of a hook's prefetch:
    // about 2 ms of CPU per card for the bench's 275-resource patient), and a successful parse
    // copies the resource, about 3 KiB for each of a hook's body measures.
    if (!isKlGradeObservation(resource)) continue;
    const parsed = ObservationSchema.safeParse(resource);
    if (!parsed.success || !CURRENT_STATUS.has(parsed.data.status)) continue;
    const knee = klGradeOf(parsed.data);
    if (typeof knee === "string") continue;
    // parseFhirDay, not Date.parse, which takes 2025-02-30 for 2 March.
    const written = parsed.data.effectiveDateTime ?? parsed.data.issued;
    const day = parseFhirDay(written);
    // Strictly before the index day, as the model's input: a grading made on the index day or
    // later was not known at it. Dated as written, as the app's imaging results show it.
    if (day !== null && day < indexDay) graded.push({ kl: { ...knee, date: writtenDate(written!) }, day });
  }
  const worst = [newestOfKnee(graded, "left"), newestOfKnee(graded, "right")]
    .filter((g): g is RecentKneeOaGrade => g !== undefined)
    .sort((a, b) => b.grade - a.grade)[0];
  return worst !== undefined && worst.grade >= KL_OA_THRESHOLD ? worst : null;
}

/** A grading and its UTC day, by which gradings written in different time zones are ordered. */
interface Grading {
  kl: RecentKneeOaGrade;
  day: number;
}

/** A knee's newest grading (of two on its newest day, the worse). */
function newestOfKnee(graded: readonly Grading[], side: Side): RecentKneeOaGrade | undefined {
  return graded.filter((g) => g.kl.side === side).sort((a, b) => b.day - a.day || b.kl.grade - a.kl.grade)[0]?.kl;
}
