/**
 * The one rule for "a recent knee KL grade of 2 or more" (radiographic knee OA by the usual
 * Kellgren-Lawrence cut-off, docs/imaging.md): the highest valid grade of the newest valid KL
 * result issued within KL_RECENT_DAYS before the index date. The CDS card mentions it because
 * a radiograph that already shows OA changes what the risk of a diagnosis means.
 */
import type { ImagingAiResult, KlResult } from "./read-results.ts";

/** Radiographic knee OA by the Kellgren-Lawrence definition: grade 2 (definite osteophytes) or more. */
export const KL_OA_THRESHOLD = 2;
/** How old a KL result may be and still count as recent (ASSUMPTION: two years). */
export const KL_RECENT_DAYS = 730;

export interface RecentKneeOaGrade {
  grade: number;
  side: "left" | "right";
  date: string;
}

export function recentKneeOaGrade(results: readonly ImagingAiResult[], indexDate: string): RecentKneeOaGrade | null {
  const index = Date.parse(indexDate);
  const valid = results.filter((r): r is KlResult => r.kind === "kl" && r.problems.length === 0);
  const dated = valid
    .map((r) => ({ r, date: r.issued ?? r.studyDate }))
    .filter((x): x is { r: KlResult; date: string } => x.date !== null)
    .filter((x) => {
      const days = (index - Date.parse(x.date)) / 86_400_000;
      return days >= -1 && days <= KL_RECENT_DAYS;
    })
    .sort((a, b) => b.date.localeCompare(a.date));
  const newest = dated[0];
  if (newest === undefined) return null;
  const worst = [...newest.r.knees].sort((a, b) => b.grade - a.grade)[0];
  return worst !== undefined && worst.grade >= KL_OA_THRESHOLD ? { grade: worst.grade, side: worst.side, date: newest.date.slice(0, 10) } : null;
}
