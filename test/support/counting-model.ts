/** The committed Deep-KOA model on onnxruntime-node, counting the rows it is asked to predict
 * (tests that check what is, and is not, sent to the model). */
import * as ortNode from "onnxruntime-node";
import { loadRiskModel, type RiskModel } from "../../shared/inference/risk-model.ts";
import { committedModel } from "../shared/inference/onnx-bytes.ts";

export async function countingCommittedModel(): Promise<{ model: RiskModel; rows: () => number }> {
  const loaded = await loadRiskModel(ortNode, committedModel());
  let rows = 0;
  const model: RiskModel = { ...loaded, predict: (batch) => ((rows += batch.length), loaded.predict(batch)) };
  return { model, rows: () => rows };
}
