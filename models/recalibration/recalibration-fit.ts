/**
 * The two ways to refit a model's calibration on a site's data, and how each maps a network risk
 * to a recalibrated one (the ONNX graph does the same, append_calibration.py):
 * - logistic (default): logit p' = a + b logit p, a and b fitted jointly (Cox 1958; Steyerberg,
 *   Clinical Prediction Models, 2nd ed., ch. 20). Two parameters: stable with few cases.
 * - isotonic: the non-decreasing step function of p that fits the outcomes best (pool adjacent
 *   violators). Follows any monotone shape but needs many cases: each step rests on the cases
 *   of its block, so it is refused below MIN_ISOTONIC_CASES.
 * Neither changes the order of the risks much (isotonic can tie them; logistic with b > 0 keeps
 * it), so discrimination stays that of the network.
 */
import { calibrationLine, logit } from "../evaluation/metrics/calibration.ts";
import { MetricInputError, type Scored, checkScored } from "../evaluation/metrics/types.ts";

/** Fewest cases in the fit split for an isotonic fit (a project choice: about 20 per step for
 * the 10 or so steps such fits end with on a few hundred cases). */
export const MIN_ISOTONIC_CASES = 200;

export type Recalibration =
  | { method: "logistic"; intercept: number; slope: number }
  | { method: "isotonic"; thresholds: number[]; values: number[] };

export type RecalibrationMethod = Recalibration["method"];

export function fitRecalibration(method: RecalibrationMethod, data: Scored): Recalibration {
  if (method === "logistic") return { method, ...calibrationLine(data) };
  const cases = checkScored(data);
  if (cases < MIN_ISOTONIC_CASES) {
    throw new MetricInputError(`isotonic recalibration needs at least ${MIN_ISOTONIC_CASES} cases in the fit split, found ${cases}; use the logistic method`);
  }
  return { method, ...poolAdjacentViolators(data) };
}

/** Isotonic regression of labels on scores: blocks of equal mean, each starting at a score. */
export function poolAdjacentViolators(data: Scored): { thresholds: number[]; values: number[] } {
  const order = Array.from({ length: data.labels.length }, (_, i) => i).sort((a, b) => (data.scores[a] as number) - (data.scores[b] as number));
  const blocks: { start: number; sum: number; n: number }[] = [];
  for (const i of order) {
    const score = data.scores[i] as number;
    const y = data.labels[i] as number;
    const last = blocks.at(-1);
    // Equal scores must share a value, so they always share a block.
    if (last !== undefined && last.start === score) {
      last.sum += y;
      last.n += 1;
    } else {
      blocks.push({ start: score, sum: y, n: 1 });
    }
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1]!;
      const a = blocks[blocks.length - 2]!;
      if (a.sum / a.n <= b.sum / b.n) break;
      a.sum += b.sum;
      a.n += b.n;
      blocks.pop();
    }
  }
  return { thresholds: blocks.map((b) => b.start), values: blocks.map((b) => b.sum / b.n) };
}

/** The recalibrated risk of one network risk, as the ONNX graph computes it. */
export function applyRecalibration(r: Recalibration, risk: number): number {
  if (r.method === "logistic") return 1 / (1 + Math.exp(-(r.intercept + r.slope * logit(risk))));
  let value = r.values[0] as number;
  for (let k = 1; k < r.thresholds.length && risk >= (r.thresholds[k] as number); k++) value = r.values[k] as number;
  return value;
}
