/**
 * The three ways to refit a model's calibration on a site's data, and how each maps a network
 * risk to a recalibrated one (the ONNX graph does the same, append_calibration.py). From the
 * fewest cases needed to the most (Steyerberg, Clinical Prediction Models, 2nd ed., 2019, ch. 20;
 * docs/model-updating.md, "Updating for a new site"):
 * - intercept: logit p' = a + logit p, only a fitted (calibration-in-the-large: the odds of every
 *   patient multiplied by one factor). Needs only a case and a control; keeps the order exactly.
 * - logistic (default): logit p' = a + b logit p, a and b fitted jointly (Cox 1958). The slope b
 *   is estimated from the site's cases, so it is refused below MIN_LOGISTIC_CASES; and a fitted
 *   b <= 0 is refused: it would rank the patients backwards (or all alike), never keep the order.
 * - isotonic: the non-decreasing step function of p that fits the outcomes best (pool adjacent
 *   violators). Follows any monotone shape but needs many cases: each step rests on the cases
 *   of its block, so it is refused below MIN_ISOTONIC_CASES. It never reverses the order, but
 *   it ties the risks within a step.
 * None can add discrimination the network lacks.
 */
import { calibrationLine, logit } from "../evaluation/metrics/calibration.ts";
import { MetricInputError, type Scored, checkScored } from "../evaluation/metrics/types.ts";

/** Fewest cases in the fit split for a logistic (intercept and slope) fit. Estimating a
 * calibration slope at a new site takes at least 100 events, ideally 200 or more (Collins GS,
 * Ogundimu EO, Altman DG, Stat Med 2016;35:214-226); even that can leave the slope imprecise
 * (Snell KIE et al., J Clin Epidemiol 2021;135:79-89; Riley RD et al., Stat Med 2021;40:4230).
 * Fewer: the intercept only (docs/model-updating.md, "Updating for a new site"). */
export const MIN_LOGISTIC_CASES = 100;

/** Fewest cases in the fit split for an isotonic fit (a project choice: about 20 per step for
 * the 10 or so steps such fits end with on a few hundred cases). */
export const MIN_ISOTONIC_CASES = 200;

/** A fitted slope this close to 0 is 0: the fit stops when its steps fall under 1e-10. */
const ZERO_SLOPE = 1e-8;

export type Recalibration =
  | { method: "intercept"; intercept: number; slope: 1 }
  | { method: "logistic"; intercept: number; slope: number }
  | { method: "isotonic"; thresholds: number[]; values: number[] };

export type RecalibrationMethod = Recalibration["method"];

export function fitRecalibration(method: RecalibrationMethod, data: Scored): Recalibration {
  if (method === "intercept") return { method, intercept: calibrationLine(data, 1).intercept, slope: 1 };
  const cases = checkScored(data);
  if (method === "logistic") return logisticRecalibration(data, cases);
  if (cases < MIN_ISOTONIC_CASES) {
    throw new MetricInputError(`isotonic recalibration needs at least ${MIN_ISOTONIC_CASES} cases in the fit split, found ${cases}; use --method logistic (at least ${MIN_LOGISTIC_CASES} cases) or --method intercept`);
  }
  return { method, ...poolAdjacentViolators(data) };
}

function logisticRecalibration(data: Scored, cases: number): Recalibration {
  if (cases < MIN_LOGISTIC_CASES) {
    throw new MetricInputError(
      `logistic recalibration needs at least ${MIN_LOGISTIC_CASES} cases in the fit split, found ${cases}; ` +
        "use --method intercept (the slope kept at 1, the order of risks kept), or collect more labelled data",
    );
  }
  const line = calibrationLine(data);
  if (!(line.slope > ZERO_SLOPE)) {
    throw new MetricInputError(
      `logistic recalibration gave slope ${line.slope.toFixed(2)}, which would ${line.slope < -ZERO_SLOPE ? "rank the patients backwards" : "give every patient the same risk"}: ` +
        "the network does not rank this site's patients as their outcomes do. Check its AUROC with npm run evaluate (retrain if it is poor), " +
        "or use --method intercept, which keeps the network's order",
    );
  }
  return { method: "logistic", ...line };
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
  if (r.method !== "isotonic") return 1 / (1 + Math.exp(-(r.intercept + r.slope * logit(risk))));
  let value = r.values[0] as number;
  for (let k = 1; k < r.thresholds.length && risk >= (r.thresholds[k] as number); k++) value = r.values[k] as number;
  return value;
}
