/** Inputs of the metric functions: parallel arrays of predicted probabilities and 0/1 labels. */
export interface Scored {
  /** Predicted probabilities (or any score, for discrimination metrics). */
  scores: ArrayLike<number>;
  /** Outcomes, 1 = knee OA diagnosed within the year. */
  labels: ArrayLike<number>;
  /**
   * The patient of each row, when a patient can have several rows (index dates): their rows are
   * correlated, so every interval (AUROC, O/E, calibration slope and intercept, reliability bins)
   * sums its per-row terms by patient. Absent: every row its own patient.
   */
  clusters?: ArrayLike<number>;
}

export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

export class MetricInputError extends Error {
  override name = "MetricInputError";
}

/** Checks the arrays are the same length and labels are 0/1; returns the count of positives. */
export function checkScored({ scores, labels }: Scored): number {
  if (scores.length !== labels.length) {
    throw new MetricInputError(`${scores.length} scores but ${labels.length} labels`);
  }
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) throw new MetricInputError(`label ${i} is ${y}, not 0 or 1`);
    if (!Number.isFinite(scores[i] as number)) throw new MetricInputError(`score ${i} is not a finite number`);
    positives += y;
  }
  return positives;
}

/** The two-sided 95% normal quantile. */
export const Z95 = 1.959963984540054;
