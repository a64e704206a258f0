/**
 * What a Patella ONNX model says about itself (its metadata_props), parsed and checked against
 * the feature layout this build of Patella produces.
 */
import { FEATURE_SPEC_VERSION } from "../features/spec.ts";

export interface RiskModelInfo {
  /** e.g. "deep-koa", "baseline-aggregated-lr". */
  name: string;
  version: string;
  /** The feature-spec version the model was trained on; always equal to FEATURE_SPEC_VERSION. */
  specVersion: string;
  /** ISO timestamp of training. */
  trainedAt: string;
  /** Free-text description of the training data (synthetic cohort, seed, size). */
  trainingData: string;
  /** Evaluation figures recorded at export (parsed from the `metrics` JSON); {} when absent. */
  metrics: Record<string, unknown>;
  /** Channel and static-feature names recorded at export; [] when absent. */
  channels: string[];
  staticFeatures: string[];
}

export class ModelMetadataError extends Error {
  override name = "ModelMetadataError";
}

/** Thrown when a model was trained on another feature layout than the one this code builds. */
export class FeatureSpecMismatchError extends ModelMetadataError {
  override name = "FeatureSpecMismatchError";
  constructor(
    readonly modelSpecVersion: string,
    readonly expectedSpecVersion: string,
  ) {
    super(
      `model was trained on feature spec "${modelSpecVersion}" but this code builds feature spec ` +
        `"${expectedSpecVersion}": retrain or export the model for "${expectedSpecVersion}"`,
    );
  }
}

function parseJson<T>(props: Record<string, string>, key: string, fallback: T, isValid: (v: unknown) => v is T): T {
  const raw = props[key];
  if (raw === undefined || raw === "") return fallback;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ModelMetadataError(`model metadata "${key}" is not valid JSON`);
  }
  if (!isValid(value)) throw new ModelMetadataError(`model metadata "${key}" has the wrong shape`);
  return value;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

/**
 * Builds RiskModelInfo from metadata_props. Refuses (throws) a model without a
 * feature_spec_version or with one other than `expectedSpecVersion`.
 */
export function parseModelInfo(
  props: Record<string, string>,
  expectedSpecVersion: string = FEATURE_SPEC_VERSION,
): RiskModelInfo {
  const specVersion = props["feature_spec_version"];
  if (specVersion === undefined || specVersion === "") {
    throw new ModelMetadataError(
      `model has no "feature_spec_version" metadata, so it cannot be checked against feature spec "${expectedSpecVersion}"`,
    );
  }
  if (specVersion !== expectedSpecVersion) throw new FeatureSpecMismatchError(specVersion, expectedSpecVersion);
  return {
    name: props["model_name"] ?? "unnamed",
    version: props["model_version"] ?? "unknown",
    specVersion,
    trainedAt: props["trained_at"] ?? "unknown",
    trainingData: props["training_data"] ?? "unknown",
    metrics: parseJson(props, "metrics", {}, isObject),
    channels: parseJson(props, "channels", [], isStringArray),
    staticFeatures: parseJson(props, "static_features", [], isStringArray),
  };
}
