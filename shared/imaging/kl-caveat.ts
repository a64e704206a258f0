/**
 * The sentence that goes beside a risk when shared/imaging/recent-kl.ts finds a recent knee KL
 * grade of 2 or more. One sentence for the CDS card and the SMART app: a radiograph that already
 * shows knee OA changes what the number means (the model predicts a coded diagnosis), and the
 * clinician who opens the app from the card must read the same warning in both.
 */
import type { RecentKneeOaGrade } from "./recent-kl.ts";

export function klGradeCaveat(kl: RecentKneeOaGrade): string {
  return (
    `Imaging: an AI-graded radiograph of ${kl.date} shows Kellgren-Lawrence grade ${kl.grade} in the ${kl.side} knee, ` +
    "radiographic knee OA already present: the estimate is about a coded diagnosis, not about the disease."
  );
}

/** Said beside the risk instead when the KL grades could not be read: the caveat above cannot be. */
export const KL_GRADES_UNREAD = "Imaging grades could not be read: a radiograph that already shows knee OA would not be noted here.";
