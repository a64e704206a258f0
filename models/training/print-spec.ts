/** The feature layout of shared/features/spec.ts as the JSON the Python tools read (the fields of a
 * features meta.json that describe the layout), so fake_features.py writes tensors in the exact layout
 * without duplicating it. Run directly, it prints that JSON. */
import { isMainModule } from "../features/cli-args.ts";
import { CHANNELS, FEATURE_SPEC_VERSION, STATIC_FEATURES, WEEKS } from "../../shared/features/spec.ts";

export interface FeatureSpecJson {
  specVersion: string;
  channels: { kind: string; id: string }[];
  staticFeatures: string[];
  weeks: number;
}

export function featureSpecJson(): FeatureSpecJson {
  return {
    specVersion: FEATURE_SPEC_VERSION,
    channels: CHANNELS.map((channel) => ({ kind: channel.kind, id: channel.id })),
    staticFeatures: [...STATIC_FEATURES],
    weeks: WEEKS,
  };
}

if (isMainModule(import.meta.url)) {
  process.stdout.write(JSON.stringify(featureSpecJson()) + "\n");
}
