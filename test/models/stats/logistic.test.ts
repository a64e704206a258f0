import { describe, expect, it } from "vitest";
import { fitLogistic } from "../../../models/stats/logistic.ts";
import { Random } from "../../../models/cohort/random.ts";

/** Rows of [1, exposed] for a 2x2 table: a events / b non-events exposed, c / d unexposed. */
function table(a: number, b: number, c: number, d: number): { x: Float64Array; y: Uint8Array } {
  const cells: [number, number, number][] = [[1, 1, a], [1, 0, b], [0, 1, c], [0, 0, d]];
  const n = a + b + c + d;
  const x = new Float64Array(n * 2);
  const y = new Uint8Array(n);
  let r = 0;
  for (const [exposed, outcome, count] of cells) {
    for (let i = 0; i < count; i++, r++) {
      x[r * 2] = 1;
      x[r * 2 + 1] = exposed;
      y[r] = outcome;
    }
  }
  return { x, y };
}

describe("fitLogistic", () => {
  it("reproduces the closed-form odds ratio and Woolf standard error of a 2x2 table", () => {
    const [a, b, c, d] = [30, 70, 10, 90];
    const fit = fitLogistic({ ...table(a, b, c, d), columns: 2 });
    expect(fit.coefficients[1]).toBeCloseTo(Math.log((a * d) / (b * c)), 9);
    expect(fit.coefficients[0]).toBeCloseTo(Math.log(c / d), 9);
    expect(fit.standardErrors[1]).toBeCloseTo(Math.sqrt(1 / a + 1 / b + 1 / c + 1 / d), 9);
    expect(fit.iterations).toBeLessThan(15);
  });

  it("recovers the coefficients of a known model from simulated data", () => {
    const rng = new Random(11, 0, 0);
    const truth = [-2, 0.8, -0.5, 1.2];
    const n = 40_000;
    const x = new Float64Array(n * 4);
    const y = new Uint8Array(n);
    for (let r = 0; r < n; r++) {
      const row = [1, rng.normal(), rng.chance(0.3) ? 1 : 0, rng.uniform() * 2];
      let eta = 0;
      row.forEach((v, j) => {
        x[r * 4 + j] = v;
        eta += v * (truth[j] as number);
      });
      y[r] = rng.chance(1 / (1 + Math.exp(-eta))) ? 1 : 0;
    }
    const fit = fitLogistic({ x, y, columns: 4 });
    truth.forEach((beta, j) => {
      expect(Math.abs((fit.coefficients[j] as number) - beta)).toBeLessThan(4 * (fit.standardErrors[j] as number));
    });
  });

  it("refuses bad input with a message instead of a wrong answer", () => {
    expect(() => fitLogistic({ x: new Float64Array(3), y: [0, 1], columns: 2 })).toThrow(/expected rows \(2\) x columns \(2\)/);
    expect(() => fitLogistic({ x: new Float64Array([1, 1]), y: [0, 2], columns: 1 })).toThrow(/y\[1\] must be 0 or 1/);
    const collinear = new Float64Array([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(() => fitLogistic({ x: collinear, y: [0, 1, 0, 1], columns: 2 })).toThrow(/singular/);
    const separated = table(20, 0, 0, 20);
    expect(() => fitLogistic({ ...separated, columns: 2 }, { maxIterations: 30 })).toThrow(/no convergence|singular/);
  });
});
