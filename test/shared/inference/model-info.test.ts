import { describe, expect, it } from "vitest";
import { CHANNELS, FEATURE_SPEC_VERSION, STATIC_FEATURES } from "../../../shared/features/spec.ts";
import { FeatureLayoutMismatchError, FeatureSpecMismatchError, ModelMetadataError, parseModelInfo } from "../../../shared/inference/model-info.ts";

const CHANNEL_IDS = CHANNELS.map((channel) => channel.id);

const base = {
  feature_spec_version: FEATURE_SPEC_VERSION,
  model_name: "deep-koa",
  model_version: "1.2.0",
  trained_at: "2026-11-27T08:00:00Z",
  training_data: "synthetic cohort, seed 1",
  metrics: '{"auroc":0.81}',
  channels: JSON.stringify(CHANNEL_IDS),
  static_features: JSON.stringify(STATIC_FEATURES),
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
      channels: CHANNEL_IDS,
      staticFeatures: [...STATIC_FEATURES],
    });
  });

  it("refuses a model whose channels are the code's but permuted, naming the first difference", () => {
    const permuted = [CHANNEL_IDS[1], CHANNEL_IDS[0], ...CHANNEL_IDS.slice(2)];
    const call = () => parseModelInfo({ ...base, channels: JSON.stringify(permuted) });
    expect(call).toThrow(FeatureLayoutMismatchError);
    expect(call).toThrow(`"channels" differs from this code's at position 0: model has "knee_injury", code has "obesity"`);
  });

  it("refuses static features in another order, a missing name, an extra name, or no list at all", () => {
    const swapped = ["sex_female", "age", ...STATIC_FEATURES.slice(2)];
    for (const list of [swapped, STATIC_FEATURES.slice(0, -1), [...STATIC_FEATURES, "extra"]]) {
      expect(() => parseModelInfo({ ...base, static_features: JSON.stringify(list) }), list.join()).toThrow(FeatureLayoutMismatchError);
    }
    const { channels: _, ...noChannels } = base;
    expect(() => parseModelInfo(noChannels)).toThrow(/no "channels" metadata/);
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
