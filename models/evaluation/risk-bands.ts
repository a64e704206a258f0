/**
 * Bands of predicted risk far above the tiers (5% and up), with each band's mean predicted risk,
 * observed rate and mean true risk: what high-risk-bands.ts measures for the model card.
 */

/** Lower edges of the bands; the last band is open above. */
const BAND_EDGES = [0.05, 0.1, 0.2, 0.5] as const;

/** One band of predicted risk: from (inclusive) to (exclusive; null: no upper edge). Means are null for an empty band. */
export interface RiskBand {
  from: number;
  to: number | null;
  rows: number;
  cases: number;
  meanPredicted: number | null;
  observed: number | null;
  meanTrueRisk: number | null;
}

export function highRiskBands(predicted: readonly number[], labels: readonly number[], trueRisk: readonly number[]): RiskBand[] {
  return BAND_EDGES.map((from, k) => {
    const to = BAND_EDGES[k + 1] ?? null;
    const rows = predicted.flatMap((p, i) => (p >= from && (to === null || p < to) ? [i] : []));
    const mean = (column: readonly number[]) => (rows.length === 0 ? null : rows.reduce((s, i) => s + (column[i] as number), 0) / rows.length);
    return { from, to, rows: rows.length, cases: rows.reduce((s, i) => s + (labels[i] as number), 0), meanPredicted: mean(predicted), observed: mean(labels), meanTrueRisk: mean(trueRisk) };
  });
}
