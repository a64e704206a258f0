/** A RiskModel that answers the same probability for every row: for tests of wording, where only
 * which drivers exist and their details matter, not their sizes. */
import type { RiskModel } from "../../shared/inference/risk-model.ts";

export function flatModel(probability: number): RiskModel {
  return {
    info: {},
    predict: async (rows) => new Float32Array(rows.length).fill(probability),
    predictPacked: async (batch) => new Float32Array(batch.size).fill(probability),
    release: async () => {},
  } as RiskModel;
}
