/** A model with the committed model's metadata whose every row answers `probability()`: tests of
 * what the service does at a chosen risk (tier thresholds, an "any" card's two suggestions). */
import type { RiskModel, RiskModelInfo } from "../../../shared/inference/index.ts";

export function fixedProbabilityModel(info: RiskModelInfo, probability: () => number): RiskModel {
  const answer = (rows: number) => Promise.resolve(new Float32Array(rows).fill(probability()));
  return { info, predict: (batch) => answer(batch.length), predictPacked: (batch) => answer(batch.size), release: () => Promise.resolve() };
}
