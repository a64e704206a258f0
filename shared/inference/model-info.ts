/**
 * What a Patella ONNX model says about itself (its metadata_props), parsed and checked against
 * the feature layout this build of Patella produces.
 */
import { CHANNELS, FEATURE_SPEC_VERSION, STATIC_FEATURES } from "../features/spec.ts";

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
  /** Channel and static-feature names recorded at export; always equal to the code's lists. */
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

/** Thrown when a model's recorded channels or static features differ from the code's lists
 * (another order, another set): its inputs would be fed in the wrong places. */
export class FeatureLayoutMismatchError extends ModelMetadataError {
  override name = "FeatureLayoutMismatchError";
}

/** The input layout this code builds, as the names a model records at export. */
export interface FeatureLayout {
  channels: readonly string[];
  staticFeatures: readonly string[];
}

const CODE_LAYOUT: FeatureLayout = { channels: CHANNELS.map((channel) => channel.id), staticFeatures: STATIC_FEATURES };

/** Refuses a recorded name list that is not exactly the code's list, naming the first difference. */
function checkNames(key: string, recorded: string[] | undefined, expected: readonly string[]): asserts recorded is string[] {
  if (recorded === undefined) {
    throw new FeatureLayoutMismatchError(`model has no "${key}" metadata, so its input layout cannot be checked against this code's`);
  }
  const at = expected.findIndex((name, i) => recorded[i] !== name);
  if (at < 0 && recorded.length === expected.length) return;
  const where = at < 0 ? expected.length : at;
  throw new FeatureLayoutMismatchError(
    `model metadata "${key}" differs from this code's at position ${where}: model has ` +
      `${JSON.stringify(recorded[where] ?? null)}, code has ${JSON.stringify(expected[where] ?? null)} ` +
      `(model ${recorded.length} names, code ${expected.length}): retrain or export the model for this layout`,
  );
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

/**
 * Builds RiskModelInfo from metadata_props. Refuses (throws) a model without a
 * feature_spec_version or with one other than `expectedSpecVersion`, and a model whose recorded
 * `channels` or `static_features` are not exactly `expectedLayout` (same names, same order): the
 * spec version alone would not catch a model exported with its channels permuted.
 */
export function parseModelInfo(
  props: Record<string, string>,
  expectedSpecVersion: string = FEATURE_SPEC_VERSION,
  expectedLayout: FeatureLayout = CODE_LAYOUT,
): RiskModelInfo {
  const specVersion = props["feature_spec_version"];
  if (specVersion === undefined || specVersion === "") {
    throw new ModelMetadataError(
      `model has no "feature_spec_version" metadata, so it cannot be checked against feature spec "${expectedSpecVersion}"`,
    );
  }
  if (specVersion !== expectedSpecVersion) throw new FeatureSpecMismatchError(specVersion, expectedSpecVersion);
  const channels = parseJson<string[] | undefined>(props, "channels", undefined, isStringArray);
  const staticFeatures = parseJson<string[] | undefined>(props, "static_features", undefined, isStringArray);
  checkNames("channels", channels, expectedLayout.channels);
  checkNames("static_features", staticFeatures, expectedLayout.staticFeatures);
  return {
    name: props["model_name"] ?? "unnamed",
    version: props["model_version"] ?? "unknown",
    specVersion,
    trainedAt: props["trained_at"] ?? "unknown",
    trainingData: props["training_data"] ?? "unknown",
    metrics: parseJson(props, "metrics", {}, isObject),
    channels,
    staticFeatures,
  };
}
