/**
 * Logistic regression by iteratively reweighted least squares (Newton-Raphson), with standard
 * errors from the inverse Fisher information. Small and dependency-free: used to check that a
 * simulated cohort reproduces published odds ratios.
 */

export interface LogisticData {
  /** Row-major design matrix, rows x columns; include a column of 1s for an intercept. */
  x: Float64Array;
  /** Outcomes, 0 or 1, one per row. */
  y: ArrayLike<number>;
  columns: number;
}

export interface LogisticOptions {
  /** Stop when no coefficient moves more than this (default 1e-10). */
  tolerance?: number;
  /** Give up after this many Newton steps (default 50). */
  maxIterations?: number;
}

export interface LogisticFit {
  coefficients: Float64Array;
  standardErrors: Float64Array;
  iterations: number;
  logLikelihood: number;
}

/** Cholesky factor L (lower, row-major) of a symmetric positive definite p x p matrix. */
function cholesky(a: Float64Array, p: number): Float64Array {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * p + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * p + k] as number) * (l[j * p + k] as number);
      if (i === j) {
        if (!(sum > 1e-12 * Math.max(1, Math.abs(a[i * p + i] as number)))) {
          throw new Error(`logistic regression: information matrix is singular (column ${i} is collinear with others or constant)`);
        }
        l[i * p + i] = Math.sqrt(sum);
      } else {
        l[i * p + j] = sum / (l[j * p + j] as number);
      }
    }
  }
  return l;
}

/** Solves L L^T x = b. */
function choleskySolve(l: Float64Array, p: number, b: Float64Array): Float64Array {
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (l[i * p + k] as number) * (z[k] as number);
    z[i] = sum / (l[i * p + i] as number);
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let sum = z[i] as number;
    for (let k = i + 1; k < p; k++) sum -= (l[k * p + i] as number) * (x[k] as number);
    x[i] = sum / (l[i * p + i] as number);
  }
  return x;
}

/** X^T W X, X^T (y - mu) and the log-likelihood at beta. */
function newtonTerms(data: LogisticData, beta: Float64Array): { info: Float64Array; score: Float64Array; logLikelihood: number } {
  const p = data.columns;
  const n = data.y.length;
  const info = new Float64Array(p * p);
  const score = new Float64Array(p);
  let logLikelihood = 0;
  for (let r = 0; r < n; r++) {
    const row = r * p;
    let eta = 0;
    for (let j = 0; j < p; j++) eta += (data.x[row + j] as number) * (beta[j] as number);
    const mu = 1 / (1 + Math.exp(-eta));
    const y = data.y[r] as number;
    logLikelihood += y === 1 ? -Math.log1p(Math.exp(-eta)) : -Math.log1p(Math.exp(eta));
    const w = mu * (1 - mu);
    const resid = y - mu;
    for (let i = 0; i < p; i++) {
      const xi = data.x[row + i] as number;
      if (xi === 0) continue;
      score[i] = (score[i] as number) + xi * resid;
      const wxi = w * xi;
      for (let j = 0; j <= i; j++) info[i * p + j] = (info[i * p + j] as number) + wxi * (data.x[row + j] as number);
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) info[j * p + i] = info[i * p + j] as number;
  return { info, score, logLikelihood };
}

export function fitLogistic(data: LogisticData, options: LogisticOptions = {}): LogisticFit {
  const p = data.columns;
  const n = data.y.length;
  if (!Number.isInteger(p) || p < 1) throw new Error(`logistic regression: columns must be a whole number >= 1, got ${p}`);
  if (data.x.length !== n * p) throw new Error(`logistic regression: x has ${data.x.length} values, expected rows (${n}) x columns (${p})`);
  for (let r = 0; r < n; r++) {
    if (data.y[r] !== 0 && data.y[r] !== 1) throw new Error(`logistic regression: y[${r}] must be 0 or 1, got ${String(data.y[r])}`);
  }
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 50;
  const beta = new Float64Array(p);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const { info, score } = newtonTerms(data, beta);
    const step = choleskySolve(cholesky(info, p), p, score);
    let largest = 0;
    for (let j = 0; j < p; j++) {
      beta[j] = (beta[j] as number) + (step[j] as number);
      largest = Math.max(largest, Math.abs(step[j] as number));
    }
    if (largest < tolerance) {
      const final = newtonTerms(data, beta);
      const l = cholesky(final.info, p);
      const standardErrors = new Float64Array(p);
      for (let j = 0; j < p; j++) {
        const unit = new Float64Array(p);
        unit[j] = 1;
        standardErrors[j] = Math.sqrt(choleskySolve(l, p, unit)[j] as number);
      }
      return { coefficients: beta, standardErrors, iterations: iteration, logLikelihood: final.logLikelihood };
    }
  }
  throw new Error(`logistic regression: no convergence in ${maxIterations} iterations (perfect separation?)`);
}
