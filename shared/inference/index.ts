/** Public API of Patella's shared inference module. */
export type { OrtRuntime } from "./ort-runtime.ts";
export { type RiskModel, type RiskModelOptions, ModelRunError, loadRiskModel } from "./risk-model.ts";
export { type RiskModelInfo, FeatureSpecMismatchError, ModelMetadataError } from "./model-info.ts";
export { type ModelInput, FeatureInputError } from "./pack-batch.ts";
export { OnnxFormatError, readOnnxMetadata } from "./onnx-metadata.ts";
export { type DriverGroup, type Explanation, type ExplainOptions, type RiskDriver, explainRisk } from "./explain.ts";
export { EXPLANATION_REFERENCE, type ExplanationReference } from "./explain-reference.ts";
