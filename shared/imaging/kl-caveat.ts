/**
 * The sentence that goes beside a risk when shared/imaging/recent-kl.ts finds a recent knee KL
 * grade of 2 or more. One text for the CDS card and the SMART app: a radiograph that already
 * shows knee OA changes what the number means (the model predicts a coded diagnosis), and the
 * clinician who opens the app from the card must read the same warning in both. The grade is an
 * AI's, said as such, as the app's imaging panel says it (a radiologist's report may confirm it).
 */
import type { RecentKneeOaGrade } from "./recent-kl.ts";

export function klGradeCaveat(kl: RecentKneeOaGrade): string {
  return (
    `Imaging: AI grading of a radiograph of ${kl.date} suggests Kellgren-Lawrence grade ${kl.grade} in the ${kl.side} knee, ` +
    "which is radiographic knee OA (not read by a radiologist unless a report says so). " +
    "This estimate is of knee OA being diagnosed in the record; a diagnosis may simply not be recorded yet."
  );
}

/** Said beside the risk instead when the KL grades could not be read: the caveat above cannot be. */
export const KL_GRADES_UNREAD = "Imaging grades could not be read: a radiograph that already shows knee OA would not be noted here.";
