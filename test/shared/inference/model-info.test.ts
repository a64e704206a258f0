import { describe, expect, it } from "vitest";
import { FEATURE_SPEC_VERSION } from "../../../shared/features/spec.ts";
import { FeatureSpecMismatchError, ModelMetadataError, parseModelInfo } from "../../../shared/inference/model-info.ts";

const base = {
  feature_spec_version: FEATURE_SPEC_VERSION,
  model_name: "deep-koa",
  model_version: "1.2.0",
  trained_at: "2026-11-27T08:00:00Z",
  training_data: "synthetic cohort, seed 1",
  metrics: '{"auroc":0.81}',
  channels: '["obesity","knee_injury"]',
  static_features: '["age"]',
};

describe("parseModelInfo", () => {
  it("maps every metadata property", () => {
    expect(parseModelInfo(base)).toEqual({
      name: "deep-koa",
      version: "1.2.0",
      specVersion: FEATURE_SPEC_VERSION,
      trainedAt: "2026-11-27T08:00:00Z",
      trainingData: "synthetic cohort, seed 1",
      metrics: { auroc: 0.81 },
      channels: ["obesity", "knee_injury"],
      staticFeatures: ["age"],
    });
  });

  it("refuses another feature spec, naming both versions", () => {
    const call = () => parseModelInfo({ ...base, feature_spec_version: "koa-features/0+valuesets/9" });
    expect(call).toThrow(FeatureSpecMismatchError);
    expect(call).toThrow(`"koa-features/0+valuesets/9"`);
    expect(call).toThrow(`"${FEATURE_SPEC_VERSION}"`);
  });

  it("refuses a model without a feature spec version", () => {
    const { feature_spec_version: _, ...rest } = base;
    expect(() => parseModelInfo(rest)).toThrow(/no "feature_spec_version"/);
  });

  it("refuses malformed JSON metadata", () => {
    expect(() => parseModelInfo({ ...base, metrics: "{" })).toThrow(ModelMetadataError);
    expect(() => parseModelInfo({ ...base, channels: '[1,2]' })).toThrow(/"channels" has the wrong shape/);
  });
});
