/**
 * RiskService over the shared code: assessRisk (features, eligibility, probability, tier)
 * with an ONNX model loaded by shared/inference, and explainRisk for the drivers when the hook
 * asks for them. Nothing here re-derives the risk.
 */
import { readFile } from "node:fs/promises";
import * as ort from "onnxruntime-node";
import { assessRisk } from "../../shared/assess-risk.ts";
import { explainRisk } from "../../shared/inference/explain.ts";
import { loadRiskModel, type RiskModel } from "../../shared/inference/index.ts";
import type { RiskService } from "./risk-service.ts";

export function createModelRiskService(model: RiskModel): RiskService {
  return {
    modelName: model.info.name,
    modelVersion: model.info.version,
    async assess(resources, indexDate, patientId) {
      const result = await assessRisk(model, resources, indexDate, { explain: false });
      const { eligibility, features } = result;
      if (!eligibility.eligible || result.probability === undefined || result.tier === undefined) {
        return { kind: "no-estimate", reasons: eligibility.reasons.length > 0 ? eligibility.reasons : ["no probability"] };
      }
      return {
        kind: "estimate",
        risk: {
          patientId,
          probability: result.probability,
          tier: result.tier,
          warnings: eligibility.warnings,
          bmi: features.demographics.bmi,
          historyYears: features.demographics.historyYears,
        },
        explain: async () => (await explainRisk(model, features)).drivers,
      };
    },
  };
}

/** Loads the ONNX file with onnxruntime-node; the caller releases the model on shutdown. */
export async function loadModelFile(path: string): Promise<RiskModel> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (err) {
    throw new Error(`Cannot read model file ${path}: ${(err as Error).message}`);
  }
  return loadRiskModel(ort, bytes);
}
