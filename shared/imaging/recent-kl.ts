/**
 * The one rule for "a recent knee KL grade of 2 or more" (radiographic knee OA by the usual
 * Kellgren-Lawrence cut-off, docs/imaging.md): among a patient's valid KL grade Observations
 * (final, amended or corrected; knee, side and grade 0-4 as the reader checks them) dated
 * within KL_RECENT_DAYS before the index date, the newest day's worst knee, if it is 2 or
 * more. It reads Observations only, so the CDS service can get them with one optional
 * prefetch query. The card mentions it because a radiograph that already shows OA changes
 * what the risk of a diagnosis means.
 */
import { KL_GRADE, sameCoding, type Side } from "./codes.ts";
import { klGradeOf } from "./read-results.ts";
import { ObservationSchema } from "./schemas.ts";

/** Radiographic knee OA by the Kellgren-Lawrence definition: grade 2 (definite osteophytes) or more. */
export const KL_OA_THRESHOLD = 2;
/** How old a KL grade may be and still count as recent (ASSUMPTION: two years). */
export const KL_RECENT_DAYS = 730;

const CURRENT_STATUS = new Set(["final", "amended", "corrected"]);

export interface RecentKneeOaGrade {
  grade: number;
  side: Side;
  /** YYYY-MM-DD of the grading. */
  date: string;
}

/** Whether a resource's code.coding, as sent, holds the KL grade coding (same test as hasCoding). */
function hasKlGradeCode(resource: unknown): boolean {
  const coding = (resource as { code?: { coding?: unknown } | null }).code?.coding;
  return Array.isArray(coding) && coding.some((c: unknown) => typeof c === "object" && c !== null && sameCoding(c as { system?: string; code?: string }, KL_GRADE));
}

export function recentKneeOaGrade(resources: readonly unknown[], indexDate: string): RecentKneeOaGrade | null {
  const index = Date.parse(indexDate);
  const graded: RecentKneeOaGrade[] = [];
  for (const resource of resources) {
    // Only Observations can pass the schema: the others are skipped before it, because a zod
    // failure builds its list of issues (most of a hook's prefetch: about 2 ms of CPU per card
    // for the bench's 275-resource patient).
    if ((resource as { resourceType?: unknown } | null)?.resourceType !== "Observation") continue;
    // And Observations without the KL grade code before it too (klGradeOf would refuse them):
    // a successful parse copies the resource, about 3 KiB for each of a hook's body measures.
    if (!hasKlGradeCode(resource)) continue;
    const parsed = ObservationSchema.safeParse(resource);
    if (!parsed.success || !CURRENT_STATUS.has(parsed.data.status)) continue;
    const knee = klGradeOf(parsed.data);
    const date = parsed.data.effectiveDateTime ?? parsed.data.issued;
    if (typeof knee === "string" || typeof date !== "string" || Number.isNaN(Date.parse(date))) continue;
    const days = (index - Date.parse(date)) / 86_400_000;
    if (days >= -1 && days <= KL_RECENT_DAYS) graded.push({ ...knee, date: date.slice(0, 10) });
  }
  const newest = graded.map((g) => g.date).sort().at(-1);
  const worst = graded.filter((g) => g.date === newest).sort((a, b) => b.grade - a.grade)[0];
  return worst !== undefined && worst.grade >= KL_OA_THRESHOLD ? worst : null;
}
